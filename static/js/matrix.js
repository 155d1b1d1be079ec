// Evidence for a matrix cell: fills the <dialog> from the page's json_script block.
// Without JavaScript each cell stays a link to the provision page.
(function () {
  "use strict";
  // On a phone the filters would push the matrix below the fold: start them closed.
  var filterBox = document.getElementById("filter-box");
  if (filterBox && window.matchMedia("(max-width: 760px)").matches) filterBox.open = false;
  // On a touch screen there is no hover: the first tap on a column heading shows
  // its title and proposition, a second tap follows the link.
  var columns = document.querySelectorAll("table.matrix th.col");
  var lastPointer = "mouse";
  document.addEventListener("pointerdown", function (event) {
    lastPointer = event.pointerType;
    if (!event.target.closest("table.matrix th.col")) {
      columns.forEach(function (th) { th.classList.remove("tip-open"); });
    }
  }, true);
  columns.forEach(function (th) {
    var link = th.querySelector("a");
    if (!link) return;
    link.addEventListener("click", function (event) {
      if (lastPointer !== "touch" || th.classList.contains("tip-open")) return;
      event.preventDefault();
      columns.forEach(function (other) { other.classList.remove("tip-open"); });
      th.classList.add("tip-open");
    });
  });
  var dataEl = document.getElementById("matrix-evidence");
  var dialog = document.getElementById("evidence");
  var table = document.querySelector("[data-testid=matrix-table]");
  if (!dataEl || !dialog || !table || typeof dialog.showModal !== "function") return;
  var data = JSON.parse(dataEl.textContent);
  var lastCell = null;

  function text(id, value) {
    var el = document.getElementById(id);
    el.textContent = value || "—";
    return el;
  }

  // An optional line: hidden when there is nothing to say (no stray "—").
  function optional(id, value) {
    var el = document.getElementById(id);
    el.textContent = value || "";
    el.hidden = !value;
    return el;
  }

  function link(id, href, label) {
    var el = document.getElementById(id);
    el.textContent = "";
    if (!href) { el.textContent = "—"; return; }
    var a = document.createElement("a");
    a.href = href;
    a.textContent = label || href;
    a.rel = "noopener";
    el.appendChild(a);
  }

  // A source's address as link text, as pages/templatetags/site_tags.py
  // (source_address) shortens it: no scheme or "www.", and a long one as its host
  // and the last part of its path.
  var SOURCE_ADDRESS_MAX = 48;
  function sourceAddress(url) {
    var short = String(url || "").trim().replace(/^[a-z][a-z0-9+.-]*:\/\/(www\.)?/i, "").replace(/\/+$/, "");
    if (short.length <= SOURCE_ADDRESS_MAX) return short;
    var cut = short.indexOf("/");
    var host = cut < 0 ? short : short.slice(0, cut);
    var path = cut < 0 ? "" : short.slice(cut + 1);
    var last = path.slice(path.lastIndexOf("/") + 1);
    var room = SOURCE_ADDRESS_MAX - host.length - 3;
    if (path.indexOf("/") < 0 || room < 8) return short.slice(0, SOURCE_ADDRESS_MAX - 1) + "…";
    if (last.length > room) last = last.slice(0, room - 1) + "…";
    return host + "/…/" + last;
  }

  // What part the row's actor took in the statement the cell rests on.
  function part(ev, code, via) {
    var statement = ev.speaker + "’s statement";
    if (via) return "Inherited as a member of " + (data.groups[via] || via) + ", on whose behalf " + ev.speaker + " spoke";
    if (code === ev.speaker_code) return "The speaker";
    if (ev.co_signers.indexOf(code) >= 0) return "A co-signer of " + statement;
    if (ev.supporters.indexOf(code) >= 0) return "A supporter of " + statement;
    return "Named in " + statement;
  }

  // Who made the statement, as the provision page names them: the speaker with its
  // co-signers, then its supporters as such, then support that names no actor.
  function speakerLine(ev) {
    var line = ev.speaker + (ev.on_behalf_of ? " on behalf of " + ev.on_behalf_of : "");
    var coSigners = ev.co_signer_names || [];
    var supporters = ev.supporter_names || [];
    if (coSigners.length) line += " with " + coSigners.join(", ");
    if (supporters.length) line += ", supported by " + supporters.join(", ");
    if (ev.also_for) line += ", " + ev.also_for;
    return line;
  }

  function open(cell) {
    var position = data.positions[cell.dataset.position];
    if (!position) return false;
    var ev = Object.assign(
      {stance: position[0], quote: position[1], statement: position[2], wants: position[3]},
      data.statements[position[2]]
    );
    var provision = data.provisions[cell.dataset.provision] || {};
    var code = cell.closest("tr").dataset.actor;
    var actor = data.actors[code] || code;
    text("ev-provision", provision.title);
    text("ev-title", actor + ": " + data.stances[ev.stance]);
    text("ev-proposition", "Support means: " + (provision.proposition || ""));
    var stance = text("ev-stance", "");
    stance.textContent = "";
    var badge = document.createElement("span");
    badge.className = "stance stance-" + ev.stance;
    badge.textContent = data.symbols[ev.stance] + " " + data.stances[ev.stance];
    stance.appendChild(badge);
    text("ev-quote", ev.quote ? "“" + ev.quote + "”" : "No quote recorded.");
    optional("ev-wants", ev.wants ? "Wants: " + ev.wants : "");
    text("ev-verification", ev.verification || "");
    link("ev-statement", data.sessionUrl.replace("999999", ev.session) + "#statement-" + ev.statement, ev.title);
    text("ev-speaker", speakerLine(ev));
    text("ev-session", ev.session_title + " (" + ev.date + "), in force since session " + cell.dataset.since);
    text("ev-role", part(ev, code, cell.dataset.via));
    // The link reads as where it goes; the document symbol follows it.
    link("ev-source", ev.source, sourceAddress(ev.source));
    optional("ev-source-kind", ev.source_kind ? "(" + ev.source_kind + ")" : "");
    optional("ev-source-document", ev.symbol ? "· Document " + ev.symbol : "");
    document.getElementById("ev-more").href = cell.getAttribute("href").split("#")[0] + "#quotes";
    lastCell = cell;
    dialog.showModal();
    return true;
  }

  table.addEventListener("click", function (event) {
    var cell = event.target.closest("a.cell");
    if (!cell) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey) return;
    if (open(cell)) event.preventDefault();
  });
  dialog.addEventListener("close", function () {
    if (lastCell) lastCell.focus();
  });
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) dialog.close();  // a click on the backdrop
  });
  // Auto-submit filters on change keeps the URL shareable without an extra click.
  var form = document.querySelector("[data-testid=matrix-filters]");
  if (form) {
    form.addEventListener("change", function (event) {
      if (event.target.name !== "kind" && event.target.name !== "coded") form.submit();
    });
  }
})();
