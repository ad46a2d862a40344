// Progressive enhancement: /track works without this; it only adds a button that shows the
// access code as typed (the field is masked by default against people looking on).
(function () {
  var button = document.getElementById("show-access-code");
  if (!button) { return; }
  var field = document.getElementById(button.getAttribute("aria-controls"));
  if (!field) { return; }
  var showLabel = button.textContent;
  var hideLabel = button.getAttribute("data-hide-label");
  button.hidden = false;
  button.addEventListener("click", function () {
    var showing = field.type === "text";
    field.type = showing ? "password" : "text";
    button.textContent = showing ? showLabel : hideLabel;
    field.focus();
  });
}());
