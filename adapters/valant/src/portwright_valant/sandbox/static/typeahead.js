// Patient typeahead for the appointment form: suggestions from /api/v2/patients/lookup.
(function () {
  "use strict";
  const script = document.currentScript;
  const input = document.querySelector(script.dataset.input);
  const hidden = document.querySelector(script.dataset.hidden);
  const list = document.querySelector(script.dataset.list);
  const option = script.dataset.option || "li";
  let timer = null;
  let seq = 0;
  input.addEventListener("input", function () {
    hidden.value = "";
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2) { list.innerHTML = ""; return; }
    timer = setTimeout(async function () {
      const mine = ++seq;
      const response = await fetch("/api/v2/patients/lookup?q=" + encodeURIComponent(q));
      if (!response.ok || mine !== seq) return;
      const data = await response.json();
      list.innerHTML = "";
      for (const item of data.items) {
        const el = document.createElement(option);
        el.setAttribute("role", "option");
        el.dataset.id = item.patientId;
        el.setAttribute("data-testid", "patient-option");
        el.className = "suggestion";
        el.textContent = item.label;
        el.addEventListener("click", function () {
          input.value = item.label;
          hidden.value = item.patientId;
          list.innerHTML = "";
        });
        list.appendChild(el);
      }
    }, 150);
  });
})();
