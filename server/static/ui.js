/*
 * The query page (server/ui.py): YASQE editor + YASR results from the vendored @zazuko/yasgui
 * build (window.Yasqe, window.Yasr), and the saved-query gallery from GET /queries.
 *
 * - The endpoint is fixed to this server's /sparql: there is no endpoint field.
 * - A saved query whose text is unchanged runs as GET /queries/{name}?param=value, so parameter
 *   values are bound as RDF terms by the server and never pasted into query text; once the text
 *   is edited it runs as ad-hoc SPARQL on /sparql.
 * - IRIs under the data's base IRI (data-base) link to the local linked-data page ({base}x → /x).
 * - Typing a name in the editor where a term may stand offers the entities of that name (GET /search)
 *   and inserts the IRI of the one picked; IRI parameters of saved queries suggest entities the same way.
 * - Everything user- or data-supplied reaches the DOM through textContent/setAttribute only.
 */
(function () {
  "use strict";

  const root = document.getElementById("kg-ui");
  if (!root || !window.Yasqe || !window.Yasr) return; // the plain <form> stays usable
  const Yasqe = window.Yasqe;
  const Yasr = window.Yasr;
  const $ = (id) => document.getElementById(id);

  const BASE = root.dataset.base || "";
  const PREFIXES = JSON.parse(root.dataset.prefixes || "{}");
  const ENDPOINT = new URL(root.dataset.endpoint || "/sparql", window.location.href).href;
  const QUERIES = root.dataset.queries || "/queries";
  const SELECT_ACCEPT = "application/sparql-results+json,*/*;q=0.9";

  /** The local path of an IRI under the base IRI, or null (also for "{base}//host" tricks). */
  function localPath(iri) {
    if (!BASE || typeof iri !== "string" || !iri.startsWith(BASE)) return null;
    const rest = iri.slice(BASE.length);
    if (rest.startsWith("/") || rest.startsWith("\\")) return null;
    return "/" + rest;
  }

  /** PREFIX declarations for the known prefixes the text uses but does not declare, on no line of their own
   * (before the text's first line), so that a syntax error's line number is the editor's. */
  function missingPrefixLines(text, declared) {
    return Object.keys(PREFIXES)
      .filter((p) => !(p in declared) && new RegExp("(^|[^\\w.:-])" + p + ":", "m").test(text))
      .map((p) => "PREFIX " + p + ": <" + PREFIXES[p] + "> ")
      .join("");
  }

  // ---- entity completion ------------------------------------------------------------------
  // Typing a name where a term may stand (`?s org:member jimmy`) offers the entities of that name from
  // GET /search; picking one inserts its IRI, as the Wikidata Query Service does. A name is letters,
  // digits, '-' and '_' ('_' stands for a space: `jimmy_jan`). The editor's own tokens cut names at
  // non-ASCII letters ("Västerås"), so the name is read from the line itself.
  const NAME_BEFORE_CURSOR = /(^|[\s{(,;.])([\p{L}][\p{L}\p{N}_-]*)$/u;
  const TERM_TOKENS = ["IRI_REF", "PNAME_LN"];
  const entityHits = new Map();

  /** The name being typed at the cursor ({name, start, end}), or null where no entity may stand. */
  function nameAtCursor(yasqe) {
    const doc = yasqe.getDoc();
    const cur = doc.getCursor();
    const line = doc.getLine(cur.line);
    if (/^[\p{L}\p{N}_-]/u.test(line.slice(cur.ch))) return null; // inside a word: only at its end
    const m = NAME_BEFORE_CURSOR.exec(line.slice(0, cur.ch));
    if (!m || m[2].length < 2) return null;
    const token = yasqe.getTokenAt(cur);
    if (token.type && /comment|string|keyword|variable|atom|string-2|meta/.test(token.type)) return null;
    const expected = (token.state && token.state.possibleCurrent) || [];
    if (!TERM_TOKENS.some((t) => expected.includes(t))) return null;
    const upper = m[2].toUpperCase(); // "OPT" is most likely OPTIONAL being typed, not a name
    if (expected.some((t) => /^[A-Z_]+$/.test(t) && t.length > 1 && t.startsWith(upper) && !TERM_TOKENS.includes(t))) {
      return null;
    }
    return { name: m[2], start: cur.ch - m[2].length, end: cur.ch };
  }

  function entityCompleter() {
    return {
      name: "kgEntities",
      bulk: false,
      autoShow: true,
      persistenceId: null,
      isValidCompletionPosition: (yasqe) => nameAtCursor(yasqe) !== null,
      preProcessToken: (yasqe, token) => {
        const at = nameAtCursor(yasqe);
        if (!at) return token;
        return Object.assign({}, token, {
          autocompletionString: at.name.replace(/_/g, " "),
          from: { ch: at.start },
          to: { ch: at.end },
        });
      },
      get: async (_yasqe, token) => {
        const q = token && token.autocompletionString;
        if (!q) return [];
        try {
          const res = await fetch("/search?" + new URLSearchParams({ q, limit: "15" }), { headers: { Accept: "application/json" } });
          if (!res.ok) return [];
          const body = await res.json();
          const hits = (body && body.results) || [];
          for (const hit of hits) entityHits.set(hit.iri, hit);
          return hits.map((hit) => hit.iri);
        } catch (_err) {
          return [];
        }
      },
      postProcessSuggestion: (_yasqe, _token, iri) => "<" + iri + ">",
      postprocessHints: (_yasqe, hints) =>
        hints.map((hint) => {
          const hit = entityHits.get(hint.text.slice(1, -1));
          if (!hit) return hint;
          const also = hit.matched && hit.matched !== hit.label ? " “" + hit.matched + "”" : "";
          const about = [hit.type, hit.note].filter(Boolean).join(", ");
          return Object.assign(hint, { displayText: hit.label + also + " — " + about, className: "kg-entity-hint" });
        }),
    };
  }

  // ---- the editor -------------------------------------------------------------------------
  // Prefix completion from our own list (no prefix.cc); no LOV class/property look-ups (the CSP
  // allows no other host, and they would suggest vocabularies this graph does not use).
  Yasqe.forkAutocompleter("prefixes", {
    name: "kgPrefixes",
    persistenceId: null,
    get: () => Object.keys(PREFIXES).sort().map((p) => p + ": <" + PREFIXES[p] + ">"),
  }, false);
  Yasqe.registerAutocompleter(entityCompleter(), false);
  Yasqe.defaults.autocompleters = ["kgPrefixes", "variables", "kgEntities"];
  Yasqe.defaults.persistenceId = null;
  Yasr.defaults.persistenceId = null;
  Yasr.plugins.table.defaults.openIriInNewWindow = false;

  // ---- readable result tables ----------------------------------------------------------------
  // An IRI shows its label (fetched from /sparql for the IRIs of the answer) linked to its page, the
  // IRI as the link's title; a literal shows its text, its language or datatype only as a tooltip.
  const labels = new Map(); // IRI -> label, for the answer on show
  const MAX_LABELLED = 2000; // distinct IRIs of one answer looked up
  const LABEL_QUERY = (iris) =>
    "SELECT ?s (SAMPLE(?l) AS ?label) WHERE { VALUES ?s { " +
    iris.map((i) => "<" + i + ">").join(" ") +
    " } VALUES ?p { skos:prefLabel foaf:name schema:name schema:headline rdfs:label } ?s ?p ?l } GROUP BY ?s";

  /** The table plugin, with IRIs shown as their labels and linked to their local page. */
  class LocalTable extends Yasr.plugins.table {
    getUriLinkFromBinding(binding, prefixes) {
      const html = super.getUriLinkFromBinding(binding, prefixes);
      const local = localPath(binding && binding.value);
      const label = binding && labels.get(binding.value);
      if (local === null && !label) return html;
      const tpl = document.createElement("template");
      tpl.innerHTML = html; // already sanitised by YASR (DOMPurify)
      const a = tpl.content.querySelector("a");
      if (!a) return html;
      a.setAttribute("title", binding.value);
      if (local !== null) {
        a.setAttribute("href", local);
        a.removeAttribute("target");
        a.classList.add("kg-local");
      }
      if (!label) return tpl.innerHTML;
      a.textContent = label; // the label instead of <IRI>
      a.classList.add("kg-labelled");
      return a.outerHTML;
    }

    formatLiteral(binding) {
      const span = document.createElement("span");
      span.textContent = binding.value;
      const type = binding.datatype ? binding.datatype.replace(/^.*[#/]/, "") : "";
      if (binding["xml:lang"]) span.title = "language: " + binding["xml:lang"];
      else if (type && type !== "string") span.title = "type: " + type;
      return span.outerHTML;
    }
  }

  /** Fetch the labels of the answer's IRIs (at most MAX_LABELLED), then draw the table again with them. */
  async function fetchLabels(results) {
    labels.clear();
    const iris = new Set();
    for (const row of results.getBindings() || []) {
      for (const term of Object.values(row)) {
        if (term && term.type === "uri" && !/[<>"{}|^`\\\s]/.test(term.value)) iris.add(term.value);
        if (iris.size >= MAX_LABELLED) break;
      }
      if (iris.size >= MAX_LABELLED) break;
    }
    if (!iris.size) return;
    try {
      const res = await fetch(ENDPOINT, {
        method: "POST",
        headers: { "Content-Type": "application/sparql-query", Accept: "application/sparql-results+json" },
        body:
          "PREFIX skos: <" + PREFIXES.skos + ">\nPREFIX foaf: <" + PREFIXES.foaf + ">\nPREFIX schema: <" + PREFIXES.schema +
          ">\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" + LABEL_QUERY([...iris]),
      });
      if (!res.ok) return;
      const body = await res.json();
      for (const b of body.results.bindings) if (b.s && b.label) labels.set(b.s.value, b.label.value);
    } catch (_err) {
      return; // the IRIs stay as they are
    }
    if (labels.size && yasr.results === results) yasr.refresh();
  }

  /** "5 results in 15 ms" instead of YASR's "5 results in 0.014899999999965075 seconds". */
  function responseInfo() {
    let text = "";
    if (this.results) {
      const bindings = this.results.getBindings();
      if (bindings) text = bindings.length.toLocaleString("en") + (bindings.length === 1 ? " result" : " results");
      const ms = this.results.getResponseTime();
      if (ms) text = (text || "Response") + " in " + humanTime(ms);
    }
    this.dataElement.innerText = text;
  }

  /** Milliseconds as a person reads them: "< 1 ms", "15 ms", "2.3 s". */
  function humanTime(ms) {
    if (ms < 1) return "< 1 ms";
    return ms < 1000 ? Math.round(ms) + " ms" : (ms / 1000).toFixed(1) + " s";
  }

  Yasr.plugins.table = LocalTable;

  const plain = $("kg-plain");
  const editorEl = $("kg-editor");
  plain.hidden = true;
  editorEl.hidden = false;
  $("kg-actions").hidden = false;

  const yasqe = new Yasqe(editorEl, {
    value: $("kg-query").value,
    showQueryButton: false,
    resizeable: true,
    editorHeight: "340px",
    requestConfig: {
      endpoint: ENDPOINT,
      method: "POST",
      acceptHeaderSelect: SELECT_ACCEPT,
      acceptHeaderGraph: "text/turtle,*/*;q=0.9",
      adjustQueryBeforeRequest: (y) => missingPrefixLines(y.getValue(), y.getPrefixesFromQuery()) + y.getValue(),
    },
    extraKeys: {
      "Ctrl-Enter": () => run(),
      "Cmd-Enter": () => run(),
    },
  });
  const yasr = new Yasr($("kg-results"), {
    prefixes: () => Object.assign({}, PREFIXES, yasqe.getPrefixesFromQuery()),
  });
  yasr.updateResponseInfo = responseInfo;
  window.kgUi = { yasqe, yasr };

  // ---- running --------------------------------------------------------------------------
  let active = null; // the saved query loaded from the gallery, while its text is unchanged
  let started = 0;
  const runBtn = $("kg-run");
  const status = $("kg-status");

  function setStatus(text, isError) {
    status.textContent = text;
    status.classList.toggle("error", !!isError);
  }

  function busy(on) {
    runBtn.disabled = on;
    root.classList.toggle("kg-busy", on);
    if (on) {
      started = performance.now();
      setStatus("Running…");
      $("kg-downloads").hidden = true;
    }
  }

  yasqe.on("queryResponse", (_y, response, duration) => show(response, duration, "/sparql"));

  function run() {
    if (runBtn.disabled) return;
    if (active && yasqe.getValue() === active.sparql) {
      runSaved(active);
    } else {
      busy(true);
      yasqe.query().catch(() => {}); // errors arrive through queryResponse
    }
  }
  runBtn.addEventListener("click", run);

  async function runSaved(q) {
    const params = new URLSearchParams();
    for (const input of $("kg-params").querySelectorAll("input[name]")) {
      if (input.value.trim() !== "") params.append(input.name, input.value.trim());
    }
    const url = QUERIES + "/" + encodeURIComponent(q.name) + (params.toString() ? "?" + params : "");
    busy(true);
    let response;
    try {
      const res = await fetch(url, { headers: { Accept: SELECT_ACCEPT } });
      const content = withoutEmptyColumns(await res.text(), q.params || []);
      response = res.ok
        ? { ok: true, status: res.status, statusText: res.statusText, headers: res.headers, type: res.type, content }
        : new Error(errorText(content) || res.status + " " + res.statusText);
    } catch (err) {
      response = err instanceof Error ? err : new Error(String(err));
    }
    show(response, performance.now() - started, url);
  }

  /** A saved query's JSON answer without the columns of its parameters that no row binds (they only
   * carry a parameter's value into the query); any other text unchanged. */
  function withoutEmptyColumns(content, params) {
    const names = new Set(params.map((p) => p.name));
    try {
      const data = JSON.parse(content);
      const bindings = (data.results && data.results.bindings) || [];
      const vars = data.head.vars.filter((v) => !names.has(v) || bindings.some((b) => b[v]));
      if (vars.length === data.head.vars.length) return content;
      data.head.vars = vars;
      return JSON.stringify(data);
    } catch (_err) {
      return content;
    }
  }

  /** The message of an error body: FastAPI's {"detail": …}, else the text. */
  function errorText(body) {
    try {
      const parsed = JSON.parse(body);
      if (parsed && parsed.detail) return typeof parsed.detail === "string" ? parsed.detail : JSON.stringify(parsed.detail);
    } catch (_e) {
      /* not JSON */
    }
    return body;
  }

  function show(response, duration, source) {
    busy(false);
    yasr.setResponse(response, duration);
    const results = yasr.results;
    if (!results || results.hasError()) {
      const err = results && results.getError();
      setStatus("Failed: " + ((err && (err.text || err.statusText)) || "no response"), true);
      return;
    }
    const bindings = results.getBindings();
    const bool = results.getBoolean();
    const ms = humanTime(duration || 0);
    if (bindings) setStatus(bindings.length + (bindings.length === 1 ? " row" : " rows") + " in " + ms + " from " + source);
    else if (bool !== undefined) setStatus("Answer: " + bool + " (" + ms + ")");
    else setStatus("Done in " + ms + " from " + source);
    updateDownloads(results, !!bindings);
    if (bindings) fetchLabels(results);
  }

  // ---- downloads of the current result ---------------------------------------------------
  const urls = [];
  function blobLink(a, data, type, filename) {
    const url = URL.createObjectURL(new Blob([data], { type }));
    urls.push(url);
    a.href = url;
    a.setAttribute("download", filename);
  }

  function updateDownloads(results, hasRows) {
    while (urls.length) URL.revokeObjectURL(urls.pop());
    const csv = $("kg-download-csv");
    const raw = $("kg-download-json");
    const type = results.getType();
    const name = active && yasqe.getValue() === active.sparql ? active.name : "results";
    csv.hidden = !hasRows;
    if (hasRows) blobLink(csv, results.asCsv(), "text/csv;charset=utf-8", name + ".csv");
    const ext = { json: "json", xml: "xml", csv: "csv", tsv: "tsv", ttl: "ttl" }[type] || "txt";
    const mime = { json: "application/sparql-results+json", ttl: "text/turtle" }[type] || "text/plain";
    raw.textContent = ext === "ttl" ? "Turtle" : ext.toUpperCase();
    blobLink(raw, results.getOriginalResponseAsString(), mime + ";charset=utf-8", name + "." + ext);
    $("kg-downloads").hidden = false;
  }

  // ---- the saved-query gallery -------------------------------------------------------------
  const gallery = $("kg-gallery-list");
  const savedBox = $("kg-saved-run");
  const note = $("kg-saved-note");
  const paramsBox = $("kg-params");

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children) if (c !== null && c !== undefined) node.append(c);
    return node;
  }

  function card(q) {
    const params = (q.params || []).map((p) => p.name + (p.required ? "*" : ""));
    const button = el(
      "button",
      { type: "button", class: "kg-card", "data-name": q.name, "aria-pressed": "false" },
      el("strong", { class: "kg-card-title" }, q.title || q.name),
      el("code", { class: "kg-card-name" }, q.name),
      q.description ? el("span", { class: "kg-card-desc" }, q.description) : null,
      params.length ? el("span", { class: "kg-card-params" }, "parameters: " + params.join(", ")) : null,
    );
    button.addEventListener("click", () => select(q, button));
    return el("li", {}, button);
  }

  function select(q, button) {
    for (const b of gallery.querySelectorAll(".kg-card")) b.setAttribute("aria-pressed", String(b === button));
    active = q;
    yasqe.setValue(q.sparql);
    paramsBox.replaceChildren(
      ...(q.params || []).map((p) => {
        const id = "kg-param-" + p.name;
        const input = el("input", {
          id,
          name: p.name,
          type: "text",
          required: !!p.required,
          placeholder: p.example != null ? "e.g. " + p.example : "",
          "data-type": p.type || "string",
        });
        input.value = p.default != null ? String(p.default) : "";
        if (p.searchTypes && window.kgSuggest) {
          // a name typed here is completed to the entity's IRI (relative to the base); the server also
          // takes the name itself and resolves it
          window.kgSuggest(input, { types: p.searchTypes, onPick: (hit) => { input.value = localPath(hit.iri) ? localPath(hit.iri).slice(1) : hit.iri; } });
        }
        return el(
          "div",
          { class: "kg-param" },
          el("label", { for: id }, p.name + (p.required ? " (required)" : ""), " ", el("span", { class: "muted" }, p.type || "string")),
          input,
          p.description ? el("span", { class: "muted kg-param-desc" }, p.description) : null,
        );
      }),
    );
    updateNote();
    savedBox.hidden = false;
    setStatus("");
  }

  function updateNote() {
    if (!active) {
      savedBox.hidden = true;
      return;
    }
    const edited = yasqe.getValue() !== active.sparql;
    const url = QUERIES + "/" + active.name;
    note.replaceChildren(
      edited
        ? "Edited: “" + (active.title || active.name) + "” now runs as your own query on /sparql; the parameters below are not applied."
        : "Saved query “" + (active.title || active.name) + "” runs as " + url + " with the parameters below (values are bound by the server, IRIs may be relative to the base).",
    );
    for (const input of paramsBox.querySelectorAll("input")) input.disabled = edited;
    root.classList.toggle("kg-edited", edited);
  }
  yasqe.on("change", updateNote);

  /** `/?saved=NAME&param=value` selects that saved query and fills its parameters. */
  function openFromUrl(list) {
    const search = new URLSearchParams(window.location.search);
    const q = list.find((x) => x.name === search.get("saved"));
    if (!q) return;
    select(q, gallery.querySelector(".kg-card[data-name='" + CSS.escape(q.name) + "']"));
    for (const input of paramsBox.querySelectorAll("input[name]")) {
      if (search.has(input.name)) input.value = search.get(input.name);
    }
  }

  async function loadGallery() {
    try {
      const res = await fetch(QUERIES, { headers: { Accept: "application/json, */*;q=0.1" } });
      if (!res.ok) throw new Error(res.status + " " + res.statusText);
      const body = await res.json();
      const list = (body && body.queries) || [];
      gallery.replaceChildren(...(list.length ? list.map(card) : [el("li", { class: "muted" }, "No saved queries.")]));
      openFromUrl(list);
    } catch (err) {
      // keep the server-rendered links to /queries/{name}; say why the cards are missing
      gallery.append(el("li", { class: "error" }, "Could not load the saved queries from " + QUERIES + ": " + err.message));
    }
  }
  loadGallery();
})();
