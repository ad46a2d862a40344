// Progressive enhancement: the receipt page works without this; it only adds a Print button
// (and hides the hint that tells people without JavaScript to use the browser's Print command).
(function () {
  var button = document.getElementById("print-receipt");
  if (!button) { return; }
  button.hidden = false;
  var hints = document.querySelectorAll(".print-hint");
  for (var i = 0; i < hints.length; i += 1) { hints[i].hidden = true; }
  button.addEventListener("click", function () { window.print(); });
}());
