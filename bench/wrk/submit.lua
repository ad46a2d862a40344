-- Anonymous report submissions without files, each with its own one-time submission key.
-- bench/run.py prepends the form fields (FORM) and the session cookie (COOKIE).
local counter = 0
local thread_tag = ""

setup = function(thread)
  thread:set("tag", tostring(math.random(100000, 999999)) .. tostring(thread))
end

init = function(args)
  thread_tag = string.gsub(tag or "t", "[^%w]", "")
end

request = function()
  counter = counter + 1
  local body = FORM .. "&submission_key=bench-" .. thread_tag .. "-" .. counter
  return wrk.format("POST", "/report", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = COOKIE,
  }, body)
end
