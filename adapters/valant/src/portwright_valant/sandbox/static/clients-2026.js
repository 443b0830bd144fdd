// 2026.1 client list: rows come from /api/v2/patients, 25 at a time, "Load more" pages on.
// A slow-render fault (X-Render-Delay-Ms response header) shows skeleton rows first.
(function () {
  "use strict";
  const table = document.querySelector('[data-testid="clients-table"]');
  const body = document.querySelector('[data-testid="clients-body"]');
  const more = document.querySelector('[data-testid="load-more"]');
  const count = document.querySelector('[data-testid="clients-count"]');
  const errorBox = document.querySelector('[data-testid="clients-error"]');
  const page = new URLSearchParams(window.location.search);
  const params = new URLSearchParams();
  for (const [from, to] of [["q", "q"], ["status", "status"], ["provider", "provider"],
                            ["updated_after", "updatedAfter"], ["sort", "sort"], ["dir", "dir"]]) {
    if (page.get(from)) params.set(to, page.get(from));
  }
  params.set("limit", "25");
  let cursor = null;
  let shown = 0;

  function usDate(iso) {
    const [y, m, d] = iso.split("-");
    return `${m}/${d}/${y}`;
  }
  function cell(col, text) {
    const td = document.createElement("td");
    td.dataset.col = col;
    td.textContent = text;
    return td;
  }
  function skeleton(n) {
    for (let i = 0; i < n; i++) {
      const tr = document.createElement("tr");
      tr.className = "v-skeleton";
      tr.dataset.testid = "skeleton-row";
      tr.setAttribute("data-testid", "skeleton-row");
      for (let c = 0; c < 7; c++) tr.appendChild(cell("skeleton", "\u00a0"));
      body.appendChild(tr);
    }
  }
  function row(p) {
    const tr = document.createElement("tr");
    tr.setAttribute("data-testid", "client-row");
    tr.dataset.id = p.patientId;
    const name = document.createElement("td");
    name.dataset.col = "name";
    const a = document.createElement("a");
    a.href = "/patients/" + p.patientId;
    a.textContent = p.firstName + " " + p.lastName;
    name.appendChild(a);
    tr.appendChild(name);
    tr.appendChild(cell("mrn", p.mrn));
    tr.appendChild(cell("dob", usDate(p.dob)));
    tr.appendChild(cell("status", p.status));
    // a patient without a clinician has primaryProvider null: an empty cell
    const clin = cell("clinician", p.primaryProvider ? p.primaryProvider.name : "");
    clin.dataset.providerId = p.primaryProvider ? p.primaryProvider.id : "";
    tr.appendChild(clin);
    tr.appendChild(cell("portal", p.portalEnrollment.status.replace("_", " ")));
    tr.appendChild(cell("changed", p.updatedAt));
    return tr;
  }
  async function load() {
    table.dataset.state = "loading";
    table.setAttribute("aria-busy", "true");
    more.disabled = true;
    const query = new URLSearchParams(params);
    if (cursor) query.set("cursor", cursor);
    const response = await fetch("/api/v2/patients?" + query.toString(),
                                 {headers: {"Accept": "application/json"}});
    if (response.status === 401) {
      window.location.href = "/login?next=" + encodeURIComponent(location.pathname + location.search);
      return;
    }
    const delay = parseInt(response.headers.get("X-Render-Delay-Ms") || "0", 10);
    if (delay > 0) {
      skeleton(5);
      await new Promise((resolve) => setTimeout(resolve, delay));
      body.querySelectorAll('[data-testid="skeleton-row"]').forEach((el) => el.remove());
    }
    if (!response.ok) {
      let reason = "Could not load clients (" + response.status + ")";
      try { const data = await response.json(); if (data.reason) reason = data.reason; } catch (e) {}
      errorBox.textContent = reason;
      errorBox.hidden = false;
      table.dataset.state = "error";
      table.setAttribute("aria-busy", "false");
      more.disabled = false;
      return;
    }
    const data = await response.json();
    for (const p of data.items) body.appendChild(row(p));
    shown += data.items.length;
    cursor = data.nextCursor;
    count.textContent = data.total ? `${shown} of ${data.total} clients` : "No clients match these filters";
    more.hidden = !cursor;
    more.disabled = false;
    table.dataset.state = "ready";
    table.setAttribute("aria-busy", "false");
  }
  more.addEventListener("click", load);
  load();
})();
