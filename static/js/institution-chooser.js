// Progressive enhancement of the institution chooser (docs/architecture.md, "Choosing the
// institution"): suggestions as one types, from the suggest endpoint, in the ARIA combobox
// pattern (a text input that controls a listbox; the option under the keyboard is announced
// through aria-activedescendant). Without this file the chooser's buttons do the same on the
// server, so nothing here is needed to file a report.
//
// An input opts in with data-suggest-url; its other data-* attributes name what a choice
// fills: data-fill-code (the input that carries the institution's code), and on the report
// form data-fill-name, data-fill-region and data-fill-kind (the party's name, region and
// kind). Every text shown comes from the server's translations (data-msg-*) and reaches the
// page as text, never as markup.
(function () {
  "use strict";
  var DELAY_MS = 200;

  function byId(id) { return id ? document.getElementById(id) : null; }

  function setup(input) {
    var url = input.getAttribute("data-suggest-url");
    var msg = function (name) { return input.getAttribute("data-msg-" + name) || ""; };
    var codeField = byId(input.getAttribute("data-fill-code"));
    var nameField = byId(input.getAttribute("data-fill-name"));
    var regionField = byId(input.getAttribute("data-fill-region"));
    var kindName = input.getAttribute("data-fill-kind");
    var chosenText = byId(input.getAttribute("data-chosen"));
    var chosenBox = chosenText ? byId(chosenText.id + "-box") || chosenText : null;
    var serverResults = byId(input.getAttribute("data-results"));
    var chooser = input.closest("[data-person-kinds]");

    var list = document.createElement("ul");
    list.id = input.id + "-listbox";
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.getAttribute("data-list-label") || "");
    list.hidden = true;
    var row = input.parentNode;
    row.parentNode.insertBefore(list, row.nextSibling);
    var live = document.createElement("p");
    live.className = "visually-hidden";
    live.setAttribute("role", "status");
    row.parentNode.insertBefore(live, list.nextSibling);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");

    var results = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      if (!options.length) { return; }
      active = (index + options.length) % options.length;
      for (var i = 0; i < options.length; i += 1) {
        options[i].setAttribute("aria-selected", i === active ? "true" : "false");
      }
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    function forget() {
      // Typing again means looking for another: the earlier choice no longer holds.
      if (codeField && codeField.value) {
        codeField.value = "";
        if (chosenBox) { chosenBox.hidden = true; }
      }
    }

    function choose(index) {
      var r = results[index];
      close();
      if (!r) {
        // "Not in the list": the party stays free text, as typed.
        forget();
        if (nameField && !nameField.value) { nameField.value = input.value; }
        if (nameField) { nameField.focus(); }
        return;
      }
      if (codeField) { codeField.disabled = false; codeField.value = r.code; }
      if (nameField) { nameField.value = r.name; }
      if (regionField) { regionField.value = r.region.code; }
      if (kindName) {
        var kinds = document.querySelectorAll("input[type=radio][name='" + kindName + "']");
        for (var i = 0; i < kinds.length; i += 1) { kinds[i].checked = kinds[i].value === r.party_kind; }
      }
      if (serverResults) {
        // The matches the server listed give way to this choice.
        serverResults.hidden = true;
        var radios = serverResults.querySelectorAll("input[type=radio]");
        for (var j = 0; j < radios.length; j += 1) { radios[j].disabled = true; }
      }
      input.value = r.name;
      if (chosenText) {
        chosenText.textContent = msg("chosen") + " " + r.name + " (" + r.code + ") · " + r.region.label +
          (r.address ? " · " + r.address : "");
        if (chosenBox) { chosenBox.hidden = false; }
      }
    }

    function option(id, text, index) {
      var li = document.createElement("li");
      li.id = id;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.textContent = text;
      li.addEventListener("mousedown", function (event) {
        event.preventDefault(); // keep the focus in the input
        choose(index);
      });
      return li;
    }

    function show(found) {
      // A late answer must not move the keyboard's place: the suggestion under it stays
      // highlighted if the new list still holds it (an answer to the text as typed can
      // arrive after the person has already pressed the arrow key).
      var kept = active >= 0 && !list.hidden && results[active] ? results[active].code : null;
      results = found;
      while (list.firstChild) { list.removeChild(list.firstChild); }
      for (var i = 0; i < found.length; i += 1) {
        var r = found[i];
        var text = r.name + (r.former_name ? " (" + msg("formerly") + " " + r.former_name + ")" : "") +
          " · " + r.code + " · " + r.region.label;
        list.appendChild(option(list.id + "-" + i, text, i));
      }
      list.appendChild(option(list.id + "-none", msg("not-listed"), found.length));
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
      for (var k = 0; kept !== null && k < found.length; k += 1) {
        if (found[k].code === kept) { highlight(k); break; }
      }
      live.textContent = found.length ? msg("count").replace("{n}", String(found.length)) : msg("none");
    }

    function ask() {
      var text = input.value.trim();
      if (!text) { close(); return; }
      var mine = ++asked;
      var request = new XMLHttpRequest();
      request.open("GET", url + "?q=" + encodeURIComponent(text));
      request.setRequestHeader("Accept", "application/json");
      request.onload = function () {
        // An answer to an older text, or a refusal (too many requests): show nothing.
        if (mine !== asked || request.status !== 200) { return; }
        try { show(JSON.parse(request.responseText).results || []); } catch (ignored) { close(); }
      };
      request.send();
    }

    input.addEventListener("input", function () {
      forget();
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown" || event.key === "Down") {
        event.preventDefault();
        if (!open && results.length) { show(results); }
        highlight(active + 1);
      } else if (event.key === "ArrowUp" || event.key === "Up") {
        event.preventDefault();
        if (open) { highlight((active < 0 ? 0 : active) - 1); }
      } else if (event.key === "Enter") {
        // With a suggestion under the keyboard, Enter chooses it; otherwise the form's
        // own search button runs, as without JavaScript.
        if (open && active >= 0) { event.preventDefault(); choose(active); }
      } else if (event.key === "Escape" || event.key === "Esc") {
        if (open) { event.preventDefault(); close(); }
      } else if (event.key === "Tab") {
        close();
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });

    if (chooser && kindName) {
      // The directory holds institutions, never people: for a person the chooser steps aside.
      var people = chooser.getAttribute("data-person-kinds").split(" ");
      var carried = chooser.querySelectorAll("input[name=institution]");
      var sync = function () {
        var picked = document.querySelector("input[type=radio][name='" + kindName + "']:checked");
        var isPerson = picked !== null && people.indexOf(picked.value) >= 0;
        chooser.hidden = isPerson;
        // A hidden chooser sends no institution; shown again, it sends what it did before.
        for (var c = 0; c < carried.length; c += 1) {
          if (isPerson && !carried[c].hasAttribute("data-was-disabled")) {
            carried[c].setAttribute("data-was-disabled", carried[c].disabled ? "1" : "");
            carried[c].disabled = true;
          } else if (!isPerson && carried[c].hasAttribute("data-was-disabled")) {
            carried[c].disabled = carried[c].getAttribute("data-was-disabled") === "1";
            carried[c].removeAttribute("data-was-disabled");
          }
        }
        if (isPerson) { close(); }
      };
      var kindRadios = document.querySelectorAll("input[type=radio][name='" + kindName + "']");
      for (var k = 0; k < kindRadios.length; k += 1) { kindRadios[k].addEventListener("change", sync); }
      sync();
    }
  }

  var inputs = document.querySelectorAll("input[data-suggest-url]");
  for (var i = 0; i < inputs.length; i += 1) { setup(inputs[i]); }
}());
