// Progressive enhancement: the receipt page works without this; it only adds a Print button.
(function () {
  var button = document.getElementById("print-receipt");
  if (!button) { return; }
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
}());
