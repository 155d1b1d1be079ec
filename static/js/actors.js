// The actors page without a round of clicks: as the visitor types or picks a filter,
// fetch the same page's rows (?partial=1) and swap them in. Without JS the form
// submits as a GET and the server answers the same rows.
(function () {
  "use strict";
  var form = document.querySelector("form[data-actor-search]");
  var results = document.getElementById("actor-results");
  if (!form || !results || !window.fetch) return;
  var timer = null;
  var latest = 0;

  function refresh() {
    var query = new URLSearchParams(new FormData(form));
    var request = ++latest;
    history.replaceState(null, "", "?" + query.toString());
    query.set("partial", "1");
    fetch(form.action + "?" + query.toString(), {headers: {Accept: "text/html"}})
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        // An older answer arriving late must not overwrite a newer one.
        if (html !== null && request === latest) results.innerHTML = html;
      });
  }

  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 150);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    refresh();
  });
})();
