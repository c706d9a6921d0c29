// The chat page: send with fetch to the JSON API, render the reply, poll for staff replies; no reloads.
(function () {
  const log = document.getElementById("chat-log");
  const form = document.getElementById("chat-form");
  if (!log || !form) return;
  const input = document.getElementById("chat-input");
  const error = document.getElementById("chat-error");
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const headers = { "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json" };

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function lastId() {
    const items = log.querySelectorAll("li.msg[data-id]");
    return items.length ? Number(items[items.length - 1].dataset.id) : 0;
  }

  function render(m) {
    if (log.querySelector(`li.msg[data-id="${m.id}"]`)) return;
    const level = m.triage && m.triage.level;
    const li = el("li", `msg msg-${m.role}${level === "emergency" ? " msg-emergency" : (m.warnings || []).length ? " msg-warned" : ""}`);
    li.dataset.id = m.id;
    li.appendChild(el("div", "msg-who", m.role === "patient" ? "You" : m.role === "staff" ? "Staff" : "Assistant"));
    if (level === "emergency") {
      const banner = el("div", "triage-banner", "Emergency");
      banner.setAttribute("role", "alert");
      li.appendChild(banner);
    }
    const warnings = m.warnings || [];
    warnings.forEach((w) => {
      const box = el("div", `warning-banner${w.startsWith("Allergy") ? " warning-allergy" : ""}`, w);
      box.setAttribute("role", "alert");
      li.appendChild(box);
    });
    const text = el("div", "msg-text");
    const shown = m.text.split("\n\n").filter((p) => !warnings.includes(p)).join("\n\n");
    shown.split("\n").forEach((line, i) => { if (i) text.appendChild(document.createElement("br")); text.appendChild(document.createTextNode(line)); });
    li.appendChild(text);
    if (m.citations && m.citations.length) {
      const list = el("ol", "citations");
      list.setAttribute("aria-label", "Sources");
      m.citations.forEach((c) => {
        const item = el("li");
        const link = el("a", "", c.title);
        link.href = /^https?:\/\//i.test(c.url || "") ? c.url : "#";  // only http(s) becomes a link
        link.target = "_blank";
        link.rel = "noopener";
        item.appendChild(link);
        item.appendChild(document.createTextNode(" "));
        item.appendChild(el("span", "muted", c.source));
        list.appendChild(item);
      });
      li.appendChild(list);
    }
    if (m.role === "assistant") {
      const thumbs = el("div", "thumbs");
      [["true", "up", "Helpful"], ["false", "down", "Not helpful"]].forEach(([value, face, label]) => {
        const b = el("button", `thumb thumb-${face}`);
        b.type = "button";
        b.dataset.helpful = value;
        b.setAttribute("aria-label", label);
        b.title = label;
        thumbs.appendChild(b);
      });
      li.appendChild(thumbs);
    }
    log.appendChild(li);
    li.scrollIntoView({ block: "end" });
  }

  async function refresh() {
    const response = await fetch(`${log.dataset.api}?page_size=200`, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const body = await response.json();
    body.results.filter((m) => m.id > lastId()).forEach(render);
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    const text = input.value;
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const response = await fetch(log.dataset.api, { method: "POST", headers, body: JSON.stringify({ text }) });
      const body = await response.json();
      if (!response.ok) {
        error.textContent = body.error ? body.error.message : "Something went wrong; please try again.";
        error.hidden = false;
        return;
      }
      input.value = "";
      await refresh();
    } catch (e) {
      error.textContent = "The assistant could not be reached; please try again.";
      error.hidden = false;
    } finally {
      button.disabled = false;
      input.focus();
    }
  });

  // Enter sends, as in every chat; Shift+Enter starts a new line.
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      if (input.value.trim()) form.requestSubmit();
    }
  });

  log.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-helpful]");
    if (!button) return;
    const li = button.closest("li.msg");
    const response = await fetch(`${log.dataset.feedback}${li.dataset.id}/feedback/`, {
      method: "POST", headers, body: JSON.stringify({ helpful: button.dataset.helpful === "true" }),
    });
    const thumbs = li.querySelector(".thumbs");
    thumbs.querySelectorAll("button").forEach((b) => { b.disabled = true; });
    thumbs.appendChild(el("span", "muted", response.ok ? "Thanks for your feedback." : "Your feedback could not be saved."));
  });

  setInterval(refresh, 4000);  // staff replies from the inbox appear without a reload
})();
