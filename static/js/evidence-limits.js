// Progressive enhancement: refuse too many or too large evidence files in the browser, before
// a 22 MB video is sent in full only to be refused. The limits and the words come from the
// server (data- attributes of the file input); the server checks everything again, so
// nothing here is needed to file a report.
(function () {
  "use strict";

  function setup(input) {
    var form = input.form;
    var box = document.getElementById("evidence-check");
    if (!form || !box) { return; }
    var number = function (name) { return parseInt(input.getAttribute("data-" + name), 10); };
    var msg = function (name) { return input.getAttribute("data-msg-" + name) || ""; };
    var maxFiles = number("max-files");
    var maxFile = number("max-file-bytes");
    var maxTotal = number("max-total-bytes");
    var describedBy = input.getAttribute("aria-describedby") || "";

    function problems() {
      var files = input.files || [];
      var found = [];
      var total = 0;
      if (files.length > maxFiles) { found.push(msg("count")); }
      for (var i = 0; i < files.length; i += 1) {
        total += files[i].size;
        if (files[i].size > maxFile) { found.push(msg("file").replace("{name}", files[i].name)); }
      }
      if (total > maxTotal) { found.push(msg("total")); }
      return found;
    }

    function show(found) {
      box.textContent = "";
      box.hidden = found.length === 0;
      for (var i = 0; i < found.length; i += 1) {
        var line = document.createElement("span");
        line.textContent = found[i];
        box.appendChild(line);
        box.appendChild(document.createElement("br"));
      }
      if (found.length) {
        var fix = document.createElement("span");
        fix.textContent = msg("fix");
        box.appendChild(fix);
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", (describedBy + " evidence-check").trim());
      } else {
        input.removeAttribute("aria-invalid");
        input.setAttribute("aria-describedby", describedBy);
      }
    }

    input.addEventListener("change", function () { show(problems()); });
    form.addEventListener("submit", function (event) {
      // The institution chooser's buttons only redraw the form; files are never kept then.
      var submitter = event.submitter;
      if (submitter && submitter.name === "action") { return; }
      var found = problems();
      show(found);
      if (found.length) {
        event.preventDefault();
        input.focus();
      }
    });
  }

  var inputs = document.querySelectorAll("input[type=file][data-max-file-bytes]");
  for (var i = 0; i < inputs.length; i += 1) { setup(inputs[i]); }
}());
