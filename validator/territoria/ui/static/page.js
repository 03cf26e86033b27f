// The local page's script: choose files and a schema, send them to this computer's server, show the report.
// It loads nothing from elsewhere (the Content-Security-Policy forbids it), and every word it shows comes
// from the server: the page's words from its data island, the report from the HTML report's fragment.
"use strict";

(function () {
  const data = JSON.parse(document.getElementById("territoria-data").textContent);
  const $ = (id) => document.getElementById(id);
  const state = { lang: data.lang, files: [], catalogue: [], token: null, picked: false, summary: null };

  function word(key, values) {
    let text = (data.words[state.lang] || data.words.fr)[key] || key;
    const all = Object.assign({ limit: Math.floor(data.maxUploadBytes / 1048576), version: data.version }, values || {});
    return text.replace(/\{(\w+)\}/g, (whole, name) => (name in all ? String(all[name]) : whole));
  }

  function number(n) {
    return Number(n).toLocaleString(state.lang === "fr" ? "fr-FR" : "en-GB");
  }

  function counted(n, one, many) {
    const single = state.lang === "fr" ? Math.abs(n) <= 1 : Math.abs(n) === 1;
    return word(single ? one : many, { n: number(n) });
  }

  function normal(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // ---- language -------------------------------------------------------------------------
  function applyWords() {
    document.documentElement.lang = state.lang;
    document.querySelectorAll("[data-w]").forEach((node) => { node.textContent = word(node.dataset.w); });
    document.querySelectorAll("[data-w-label]").forEach((node) => {
      node.setAttribute("aria-label", word(node.dataset.wLabel));
    });
    $("switch").lang = state.lang === "fr" ? "en" : "fr";
    showFiles();
    fillSchemas();
  }

  $("switch").addEventListener("click", async () => {
    state.lang = state.lang === "fr" ? "en" : "fr";
    const url = new URL(window.location.href);
    url.searchParams.set("lang", state.lang);
    window.history.replaceState(null, "", url);
    applyWords();
    if (state.token) {
      const answer = await fetch(`/api/reports/${state.token}?format=fragment&lang=${state.lang}`);
      if (answer.ok) showReport(await answer.text(), state.summary);
    }
  });

  // ---- files ----------------------------------------------------------------------------
  function size(bytes) {
    const units = state.lang === "fr" ? ["o", "Kio", "Mio", "Gio"] : ["B", "KiB", "MiB", "GiB"];
    let value = bytes, index = 0;
    while (value >= 1024 && index < units.length - 1) { value /= 1024; index += 1; }
    const shown = value.toLocaleString(state.lang === "fr" ? "fr-FR" : "en-GB", { maximumFractionDigits: index ? 1 : 0 });
    return `${shown} ${units[index]}`;
  }

  function showFiles() {
    const box = $("chosen");
    box.replaceChildren();
    if (!state.files.length) {
      const empty = document.createElement("p");
      empty.dataset.w = "no_file";
      empty.textContent = word("no_file");
      box.append(empty);
      return;
    }
    const title = document.createElement("p");
    title.textContent = word("chosen");
    const list = document.createElement("ul");
    state.files.forEach((file, index) => {
      const item = document.createElement("li");
      const name = document.createElement("span");
      name.textContent = `${file.name} (${size(file.size)})`;
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "link";
      remove.textContent = "×";
      remove.setAttribute("aria-label", word("remove", { name: file.name }));
      remove.addEventListener("click", () => {
        state.files.splice(index, 1);
        showFiles();
        (box.querySelector("button") || $("files")).focus();
      });
      item.append(name, " ", remove);
      list.append(item);
    });
    box.append(title, list);
  }

  function addFiles(list) {
    for (const file of list) {
      if (!state.files.some((f) => f.name === file.name && f.size === file.size && f.lastModified === file.lastModified)) {
        state.files.push(file);
      }
    }
    $("form-error").textContent = "";
    showFiles();
    suggest();
  }

  $("files").addEventListener("change", (event) => { addFiles(event.target.files); event.target.value = ""; });
  const drop = $("drop");
  ["dragenter", "dragover"].forEach((kind) => drop.addEventListener(kind, (event) => {
    event.preventDefault();
    drop.classList.add("over");
  }));
  ["dragleave", "drop"].forEach((kind) => drop.addEventListener(kind, () => drop.classList.remove("over")));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files.length) addFiles(event.dataTransfer.files);
  });

  // ---- schemas --------------------------------------------------------------------------
  function title(item) {
    return (item.title && (item.title[state.lang] || item.title.fr)) || item.name;
  }

  function fillSchemas() {
    const select = $("schema");
    const keep = select.value;
    const query = normal($("search").value).split(/\s+/).filter(Boolean);
    select.replaceChildren();
    const none = document.createElement("option");
    none.value = "";
    none.dataset.w = "schema_none";
    none.textContent = word("schema_none");
    select.append(none);
    let shown = 0;
    for (const entry of state.catalogue) {
      const entryText = normal([entry.name, entry.title.fr, entry.title.en, entry.description.fr,
        entry.description.en, entry.keywords.join(" ")].join(" "));
      // a table is shown when the words are in its entry's text or its own; when some tables have
      // all the words in their own text (a search for a table), only those are
      const own = (table) => normal([table.name, table.title.fr, table.title.en,
        table.description.fr, table.description.en].join(" "));
      let tables = entry.tables.filter((table) => query.every((part) => `${entryText} ${own(table)}`.includes(part)));
      const named = tables.filter((table) => query.length && query.every((part) => own(table).includes(part)));
      if (named.length) tables = named;
      if (!tables.length) continue;
      const group = document.createElement("optgroup");
      group.label = `${title(entry)} (${entry.name})`;
      if (tables.length === entry.tables.length && entry.tables.length > 1) {
        const whole = document.createElement("option");
        whole.value = entry.name;
        whole.textContent = word("whole_entry", { title: title(entry) });
        group.append(whole);
      }
      for (const table of tables) {
        const option = document.createElement("option");
        option.value = `${entry.name}/${table.name}`;
        option.textContent = `${title(table)} (${table.name})`;
        group.append(option);
        shown += 1;
      }
      select.append(group);
    }
    $("no-match").hidden = shown > 0 || !query.length;
    select.value = keep;
    if (select.value !== keep) select.value = "";
    fillVersions();
  }

  function entryOf(value) {
    return state.catalogue.find((entry) => entry.name === String(value || "").split("/")[0]);
  }

  function fillVersions() {
    const versions = $("version");
    const entry = entryOf($("schema").value);
    const keep = versions.value;
    versions.replaceChildren();
    versions.disabled = !entry;
    if (!entry) return;
    for (const version of entry.versions.slice().reverse()) {
      const option = document.createElement("option");
      option.value = version;
      option.textContent = version;
      versions.append(option);
    }
    versions.value = entry.versions.includes(keep) ? keep : entry.latest;
  }

  $("schema-file").addEventListener("change", () => {
    const file = $("schema-file").files[0];
    $("schema-file-name").textContent = file ? file.name : "";
    $("schema-file-remove").hidden = !file;
  });
  $("schema-file-remove").addEventListener("click", () => {
    $("schema-file").value = "";
    $("schema-file-name").textContent = "";
    $("schema-file-remove").hidden = true;
    $("schema-file").focus();
  });

  $("search").addEventListener("input", fillSchemas);
  $("schema").addEventListener("change", () => { state.picked = true; $("suggestion").textContent = ""; fillVersions(); });

  fetch("/api/catalogue").then((answer) => answer.json()).then((entries) => {
    state.catalogue = entries;
    fillSchemas();
  });

  // the head of each file, so that the server can say which catalogue table its header is for
  async function head(file) {
    const textual = /\.(csv|tsv|tab|txt)$/i.test(file.name);
    if (textual && file.size > 1048576) {
      const bytes = new Uint8Array(await file.slice(0, 1048576).arrayBuffer());
      const end = bytes.lastIndexOf(10);
      return new File([bytes.slice(0, end > 0 ? end + 1 : bytes.length)], file.name);
    }
    if (/\.zip$/i.test(file.name) || file.size > 16 * 1048576) return null;
    return file;
  }

  async function suggest() {
    if (state.picked || !state.files.length) return;
    const form = new FormData();
    let count = 0;
    for (const file of state.files) {
      const part = await head(file);
      if (part) { form.append("file", part, file.name); count += 1; }
    }
    if (!count) return;
    try {
      const answer = await fetch("/api/match", { method: "POST", body: form });
      const found = await answer.json();
      if (found.schema && !state.picked) {
        $("search").value = "";
        fillSchemas();
        $("schema").value = found.schema;
        fillVersions();
        $("suggestion").textContent = word("suggested", { schema: found.schema });
      }
    } catch (error) { /* a suggestion is a nicety */ }
  }

  function schemaChoice() {
    const value = $("schema").value;
    const entry = entryOf(value);
    if (!value || !entry) return value;
    const version = $("version").value;
    return version && version !== entry.latest ? `${value}@${version}` : value;
  }

  async function formData() {
    const form = new FormData();
    for (const file of state.files) form.append("file", file, file.name);
    const schemaFile = $("schema-file").files[0];
    form.append("schema", schemaFile ? await schemaFile.text() : schemaChoice());
    form.append("lang", state.lang);
    return form;
  }

  // ---- progress and report ---------------------------------------------------------------
  function progress(value, text) {
    $("progress-box").hidden = false;
    const bar = $("progress");
    if (value === null) bar.removeAttribute("value"); else bar.value = value;
    $("progress-text").textContent = text;
  }

  function showReport(html, summary) {
    const report = $("report");
    const parsed = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
    report.replaceChildren(...parsed.body.childNodes);
    report.dataset.valid = summary.valid ? "true" : "false";
    report.dataset.status = summary.status;
    $("download-html").href = `/api/reports/${state.token}?format=html&lang=${state.lang}`;
    $("download-json").href = `/api/reports/${state.token}?format=json&lang=${state.lang}`;
    $("after").hidden = false;
    $("repair").hidden = !summary.repairable;
  }

  function finish(summary, html) {
    state.token = summary.token;
    state.summary = summary;
    showReport(html, summary);
    progress(100, word("done"));
    $("run").disabled = false;
    $("report-heading").focus();
  }

  function tooLarge() {
    const total = state.files.reduce((sum, file) => sum + file.size, 0);
    if (total <= data.maxUploadBytes) return false;
    const text = data.tooLarge[`message_${state.lang}`] + " — " + data.tooLarge[`hint_${state.lang}`];
    $("form-error").textContent = text;
    return true;
  }

  $("check").addEventListener("submit", async (event) => {
    event.preventDefault();
    $("form-error").textContent = "";
    if (!state.files.length) { $("form-error").textContent = word("need_file"); $("files").focus(); return; }
    if (tooLarge()) return;
    $("run").disabled = true;
    $("fix-status").textContent = "";
    const request = new XMLHttpRequest();
    let seen = 0;
    request.open("POST", "/api/validate");
    request.setRequestHeader("Accept", "application/x-ndjson");
    request.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) {
        const pct = Math.round((100 * e.loaded) / e.total);
        progress(pct / 2, word("sending", { pct }));
      }
    });
    const read = () => {
      const text = request.responseText;
      const end = text.lastIndexOf("\n");
      if (end < seen) return;
      for (const line of text.slice(seen, end).split("\n")) {
        if (!line.trim()) continue;
        const message = JSON.parse(line);
        if (message.type === "progress") {
          if (message.waiting) { progress(null, word("queued")); continue; }
          const rows = number(message.rows);
          if (message.estimate) {
            const share = Math.min(message.rows / message.estimate, 0.99);
            progress(50 + 50 * share, word("checking_of", { rows, total: number(message.estimate) }));
          } else {
            progress(null, word("checking", { rows }));
          }
        } else if (message.type === "done") {
          finish(message, message.fragment);
        }
      }
      seen = end + 1;
    };
    request.addEventListener("progress", () => { if (request.status === 200) read(); });
    request.addEventListener("load", async () => {
      if (request.status === 200) { read(); return; }
      const token = request.getResponseHeader("X-Territoria-Report");
      let report = {};
      try { report = JSON.parse(request.responseText); } catch (error) { /* not a report */ }
      if (token) {
        const answer = await fetch(`/api/reports/${token}?format=fragment&lang=${state.lang}`);
        finish({ token, valid: false, status: "failed", repairable: false, errors: (report.stats || {}).errors },
          await answer.text());
      } else {
        $("form-error").textContent = word("no_answer");
        $("run").disabled = false;
      }
    });
    request.addEventListener("error", () => {
      $("form-error").textContent = word("no_answer");
      $("progress-box").hidden = true;
      $("run").disabled = false;
    });
    request.send(await formData());
  });

  // ---- the repaired copy ----------------------------------------------------------------
  $("fix").addEventListener("click", async () => {
    const button = $("fix");
    button.disabled = true;
    $("fix-status").textContent = word("fixing");
    const request = new XMLHttpRequest();
    request.open("POST", "/api/fix");
    request.responseType = "blob";
    request.addEventListener("load", () => {
      button.disabled = false;
      if (request.status !== 200) {
        $("fix-status").textContent = word("no_answer");
        return;
      }
      const summary = JSON.parse(request.getResponseHeader("X-Territoria-Fix") || "{}");
      const disposition = request.getResponseHeader("Content-Disposition") || "";
      const match = /filename="?([^";]+)"?/.exec(disposition);
      const name = match ? decodeURIComponent(match[1]) : "territoria-fixed.zip";
      const link = document.createElement("a");
      link.href = URL.createObjectURL(request.response);
      link.download = name;
      link.hidden = true;
      document.body.append(link);
      link.click();
      setTimeout(() => { URL.revokeObjectURL(link.href); link.remove(); }, 60000);
      const lines = (summary.files || []).map((item) => {
        const total = Object.values(item.changes || {}).reduce((sum, n) => sum + n, 0);
        const rules = Object.entries(item.changes || {}).map(([rule, n]) => `${rule}${state.lang === "fr" ? " : " : ": "}${number(n)}`).join(", ");
        const changes = counted(total, "change_one", "change_many") + (rules ? ` (${rules})` : "");
        const verdict = item.valid ? word("fixed_valid") : counted(item.errors, "fixed_invalid_one", "fixed_invalid_many");
        return `${word("fixed", { file: item.copy || item.name, changes })} ${verdict}`;
      });
      $("fix-status").textContent = lines.join(" ");
    });
    request.addEventListener("error", () => {
      button.disabled = false;
      $("fix-status").textContent = word("no_answer");
    });
    request.send(await formData());
  });

  applyWords();
})();
