// Result page: poll progress, highlight a cited passage, and send flags and corrections.
(function () {
  const data = JSON.parse(document.getElementById("document-data").textContent);
  const csrf = (document.cookie.match(/csrftoken=([^;]+)/) || [])[1] || "";
  const box = document.getElementById("progress");

  if (box && (data.status === "uploaded" || data.status === "processing")) {
    const poll = async () => {
      const p = await (await fetch(box.dataset.url, { credentials: "same-origin" })).json();
      document.getElementById("stage").textContent = p.stage || p.status;
      document.getElementById("progress-bar").value = p.progress;
      if (p.status === "done") return window.location.reload();
      if (p.status === "failed") {
        const f = document.getElementById("failure");
        f.textContent = p.failure_reason; f.hidden = false;
        return window.location.reload();
      }
      setTimeout(poll, 700);
    };
    setTimeout(poll, 300);
  }

  const source = document.getElementById("source-text");
  if (!source) return;
  source.textContent = data.text;

  function highlight(start, end) {
    source.textContent = "";
    const mark = document.createElement("mark");
    mark.id = "highlight";
    mark.textContent = data.text.slice(start, end);
    source.append(data.text.slice(0, start), mark, data.text.slice(end));
    mark.scrollIntoView({ block: "center" });
  }

  document.querySelectorAll(".sentence").forEach((el) => {
    el.addEventListener("click", (event) => {
      if (event.target.closest("button")) return;
      event.preventDefault();
      document.querySelectorAll(".sentence.active").forEach((a) => a.classList.remove("active"));
      el.classList.add("active");
      highlight(+el.dataset.start, +el.dataset.end);
    });
  });

  const status = document.getElementById("feedback-status");
  async function send(body) {
    const response = await fetch(`/documents/${data.id}/feedback/`, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf }, body: JSON.stringify(body),
    });
    const answer = await response.json();
    status.textContent = response.ok ? "Thanks: your feedback was recorded." : answer.error.message;
    status.className = response.ok ? "success" : "errors";
    return response.ok;
  }

  // A flag says why, and the correct answer if the reader knows it; the page shows it flagged from then on (reloads too).
  const flagTemplate = document.getElementById("flag-form-template");
  document.querySelectorAll("button.flag").forEach((b) => b.addEventListener("click", () => {
    if (b.nextElementSibling && b.nextElementSibling.classList.contains("flag-form")) return;
    const form = flagTemplate.content.firstElementChild.cloneNode(true);
    b.after(form);
    form.querySelector("select").focus();
    form.querySelector(".cancel").addEventListener("click", () => form.remove());
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const ok = await send({ action: "flag", output: +b.dataset.output, reason: form.reason.value, answer: form.answer.value });
      if (ok) {
        const mark = document.createElement("span");
        mark.className = "flagged-mark";
        mark.textContent = "Flagged" + (form.answer.value ? `: correct answer ${form.answer.value}` : "");
        form.remove(); b.replaceWith(mark);
      }
    });
  }));

  const summaryIndices = () => [...document.querySelectorAll("#summary li")]
    .map((li) => data.candidates.findIndex((c) => c[0] === +li.dataset.start)).filter((i) => i >= 0);

  document.querySelectorAll("button.remove-sentence").forEach((b) => b.addEventListener("click", async () => {
    const kept = summaryIndices().filter((i) => data.candidates[i][0] !== +b.dataset.start);
    if (await send({ action: "summary", selected: kept })) b.closest("li").remove();
  }));

  // The last text selected in the document pane: kept while the reader picks a category or types an answer,
  // which moves the browser's selection into those fields.
  let lastRange = null;
  function currentRange() {
    const sel = window.getSelection();
    if (!sel.rangeCount || sel.isCollapsed || !source.contains(sel.anchorNode)) return null;
    const range = sel.getRangeAt(0);
    const before = document.createRange();
    before.setStart(source, 0); before.setEnd(range.startContainer, range.startOffset);
    const start = before.toString().length;
    return { start, end: start + range.toString().length };
  }
  document.addEventListener("selectionchange", () => {
    const range = currentRange();
    if (range) {
      lastRange = range;
      const tools = document.getElementById("selection-tools");
      if (tools) tools.classList.add("has-selection");
    }
  });
  const selectedRange = () => currentRange() || lastRange;

  const save = document.getElementById("save-key-term");
  if (save) save.addEventListener("click", async () => {
    const range = selectedRange();
    if (!range) { status.textContent = "Select text in the document first."; status.className = "errors"; return; }
    const answer = document.getElementById("key-term-answer").value;
    if (await send({ action: "key_term", ...range, category: document.getElementById("category").value, answer })) window.location.reload();
  });

  const add = document.getElementById("add-to-summary");
  if (add) add.addEventListener("click", async () => {
    const range = selectedRange();
    if (!range) { status.textContent = "Select a sentence in the document first."; status.className = "errors"; return; }
    const index = data.candidates.findIndex((c) => c[0] < range.end && range.start < c[1]);
    if (index < 0) { status.textContent = "That sentence is not one the summary can use (a heading or boilerplate)."; status.className = "errors"; return; }
    const selected = [...new Set([...summaryIndices(), index])];
    if (await send({ action: "summary", selected })) window.location.reload();
  });
})();
