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

  // Type-ahead into a datalist: actors by code, name or alias; provisions of the
  // chosen session's treaty by label as printed, slug or title. The latest answer
  // wins: an older one arriving late must not replace it.
  var actorList = document.getElementById("actor-suggestions");
  var provisionList = document.getElementById("provision-suggestions");
  var actorsUrl = form.getAttribute("data-actors-url");
  var provisionsUrl = form.getAttribute("data-provisions-url");
  var timer = null;
  var latest = 0;
  function suggest(url, list, options) {
    var request = ++latest;
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (data === null || request !== latest) return;
        list.replaceChildren();
        options(data).forEach(function (pair) {
          var option = document.createElement("option");
          option.value = pair[0];
          option.label = pair[1];
          list.appendChild(option);
        });
      });
  }
  function actorOptions(data) {
    return data.actors.map(function (actor) {
      return [actor.code, actor.label];  // "Japan (JPN)", with the alias that matched
    });
  }
  function provisionOptions(data) {
    return data.provisions.map(function (p) { return [p.value, p.label]; });
  }
  form.addEventListener("input", function (event) {
    var input = event.target;
    var q = encodeURIComponent(input.value);
    var run = null;
    if (input.hasAttribute("data-actor") && input.value.length >= 2) {
      run = function () { suggest(actorsUrl + "?q=" + q, actorList, actorOptions); };
    } else if (input.hasAttribute("data-provision") && input.value.trim().length >= 1) {
      var session = encodeURIComponent(form.querySelector("[name=session]").value);
      run = function () {
        suggest(provisionsUrl + "?session=" + session + "&q=" + q, provisionList, provisionOptions);
      };
    }
    if (!run) return;
    clearTimeout(timer);
    timer = setTimeout(run, 150);
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

  // Preview: the statement as the public pages will read it, rendered by the server
  // from what is typed so far (nothing is saved); the latest answer wins.
  var previewBox = form.querySelector("[data-preview]");
  var previewTimer = null;
  var previewLatest = 0;
  function refreshPreview() {
    var data = new FormData(form);
    data.set("step", "preview");
    var url = new URL(form.action || window.location.href);
    url.searchParams.set("partial", "1");
    var request = ++previewLatest;
    fetch(url.toString(), { method: "POST", body: data, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html !== null && request === previewLatest) previewBox.innerHTML = html;
      });
  }
  function schedulePreview() {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(refreshPreview, 300);
  }
  form.addEventListener("input", schedulePreview);
  form.addEventListener("change", schedulePreview);
  form.addEventListener("submit", function (event) {
    // With scripts the Preview button refreshes the preview in place.
    if (event.submitter && event.submitter.value === "preview") {
      event.preventDefault();
      refreshPreview();
    }
  });
  if (form.querySelector("[name=text]").value) refreshPreview();
})();
