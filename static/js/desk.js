// The statement form: add formset rows, actor type-ahead, live character counters,
// the session's dates, and a preview. No inline script: data comes by json_script.
(function () {
  "use strict";
  var form = document.querySelector("[data-testid=statement-form]");
  if (!form) return;

  function addRow(fieldset) {
    var prefix = fieldset.getAttribute("data-formset");
    var total = fieldset.querySelector("input[name=" + prefix + "-TOTAL_FORMS]");
    var template = fieldset.querySelector("template[data-empty]");
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    fieldset.querySelector("[data-rows]").insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    wireCounters(fieldset);
  }
  form.querySelectorAll("[data-add-row]").forEach(function (button) {
    button.addEventListener("click", function () {
      addRow(button.closest("[data-formset]"));
    });
  });

  // Type-ahead: suggestions for code, name or alias into one datalist.
  var list = document.getElementById("actor-suggestions");
  var url = form.getAttribute("data-actors-url");
  var timer = null;
  form.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.hasAttribute("data-actor") || input.value.length < 2) return;
    clearTimeout(timer);
    timer = setTimeout(function () {
      fetch(url + "?q=" + encodeURIComponent(input.value), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { actors: [] }; })
        .then(function (data) {
          list.replaceChildren();
          data.actors.forEach(function (actor) {
            var option = document.createElement("option");
            option.value = actor.code;
            option.label = actor.name + (actor.aliases.length ? " (" + actor.aliases.join(", ") + ")" : "");
            list.appendChild(option);
          });
        });
    }, 150);
  });

  // Live counters for every field with a length limit.
  function wireCounters(root) {
    root.querySelectorAll("[data-counter][maxlength]").forEach(function (field) {
      if (field.nextElementSibling && field.nextElementSibling.classList.contains("counter")) return;
      var counter = document.createElement("small");
      counter.className = "counter";
      field.insertAdjacentElement("afterend", counter);
      function update() {
        var left = parseInt(field.getAttribute("maxlength"), 10) - field.value.length;
        counter.textContent = left + " characters left";
        counter.classList.toggle("over", left < 0);
      }
      field.addEventListener("input", update);
      update();
    });
  }
  wireCounters(form);

  // The session's dates, shown and set as the date field's bounds.
  var dates = JSON.parse(document.getElementById("session-dates-data").textContent);
  var session = form.querySelector("[name=session]");
  var date = form.querySelector("[name=date]");
  var shown = document.getElementById("session-dates");
  function showDates() {
    var d = dates[session.value];
    shown.textContent = d ? "Session dates: " + d.start + " to " + d.end : "";
    if (d) { date.min = d.start; date.max = d.end; }
  }
  session.addEventListener("change", showDates);
  showDates();

  // Preview: how the quote reads on the public pages.
  var text = form.querySelector("[name=text]");
  var speaker = form.querySelector("[name=actor]");
  var verification = form.querySelector("[name=verification]");
  function preview() {
    form.querySelector("[data-preview-text]").textContent = text.value;
    var v = verification.options[verification.selectedIndex].text;
    form.querySelector("[data-preview-by]").textContent = "— " + speaker.value + " · " + v;
  }
  [text, speaker, verification].forEach(function (f) { f.addEventListener("input", preview); });
  preview();
})();
