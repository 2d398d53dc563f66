/*
 * Suggestions as you type, from GET /search (server/search.py), for the search box in every page's header
 * and for the query page's IRI parameters (server/static/ui.js calls window.kgSuggest).
 *
 * - An input with data-kg-suggest gets a listbox under it (the ARIA combobox pattern): arrow keys move,
 *   Enter or a click picks, Escape closes. In the header, picking opens the entity's page; Enter with
 *   nothing picked submits the form to the HTML results page (/search?q=…), so it works without script.
 * - Everything from the server reaches the DOM through textContent/setAttribute only; no inline script
 *   (the CSP allows only this server's script files and connections).
 */
(function () {
  "use strict";

  const LIMIT = 8;
  const DELAY_MS = 120;
  let made = 0;

  /** Attach suggestions to `input`. options.types: only these entity types; options.onPick(hit): what a
   * pick does (default: open the hit's page). */
  function attach(input, options) {
    const opts = options || {};
    const types = opts.types || [];
    const onPick = opts.onPick || ((hit) => { if (hit.href) window.location.assign(hit.href); });
    const list = document.createElement("ul");
    list.id = (input.id || "kg-suggest-" + ++made) + "-suggestions";
    list.className = "kg-suggest";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");
    input.insertAdjacentElement("afterend", list); // no-op while the input is not in the page yet (see render)

    let hits = [];
    let active = -1;
    let timer = null;
    let pending = null;

    function render() {
      if (!list.isConnected) input.insertAdjacentElement("afterend", list);
      list.replaceChildren(
        ...hits.map((hit, i) => {
          const item = document.createElement("li");
          item.id = list.id + "-" + i;
          item.setAttribute("role", "option");
          item.setAttribute("aria-selected", String(i === active));
          item.dataset.iri = hit.iri;
          const label = document.createElement("span");
          label.className = "kg-suggest-label";
          label.textContent = hit.label;
          const meta = document.createElement("span");
          meta.className = "kg-suggest-meta";
          const also = hit.matched && hit.matched !== hit.label ? "“" + hit.matched + "”" : "";
          meta.textContent = [hit.type, hit.note, also].filter(Boolean).join(" · ");
          item.append(label, " ", meta);
          item.addEventListener("mousedown", (event) => {
            event.preventDefault(); // keep the focus in the input
            pick(i);
          });
          return item;
        }),
      );
      list.hidden = hits.length === 0;
      input.setAttribute("aria-expanded", String(!list.hidden));
      if (active >= 0) input.setAttribute("aria-activedescendant", list.id + "-" + active);
      else input.removeAttribute("aria-activedescendant");
    }

    function close() {
      hits = [];
      active = -1;
      render();
    }

    function pick(i) {
      const hit = hits[i];
      close();
      if (hit) onPick(hit);
    }

    async function suggest(q) {
      if (pending) pending.abort();
      pending = new AbortController();
      const params = new URLSearchParams({ q, limit: String(LIMIT) });
      for (const t of types) params.append("type", t);
      try {
        const res = await fetch("/search?" + params, { headers: { Accept: "application/json" }, signal: pending.signal });
        if (!res.ok) return;
        const body = await res.json();
        if (input.value.trim() !== q) return; // typed on meanwhile
        hits = (body && body.results) || [];
        active = -1;
        render();
      } catch (_err) {
        // aborted by the next keystroke, or the server is gone: leave the box as it is
      }
    }

    input.addEventListener("input", () => {
      const q = input.value.trim();
      clearTimeout(timer);
      if (!q) {
        close();
        return;
      }
      timer = setTimeout(() => suggest(q), DELAY_MS);
    });
    input.addEventListener("keydown", (event) => {
      if (list.hidden) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        const step = event.key === "ArrowDown" ? 1 : hits.length - 1;
        active = active < 0 && step !== 1 ? hits.length - 1 : (active + step) % hits.length;
        render();
        event.preventDefault();
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        pick(active);
      } else if (event.key === "Escape") {
        close();
        event.preventDefault();
      }
    });
    input.addEventListener("blur", close);
    return { close };
  }

  window.kgSuggest = attach;
  for (const input of document.querySelectorAll("input[data-kg-suggest]")) attach(input);
})();
