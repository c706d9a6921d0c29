// Annotate screen: one small editor per feedback type, usable by keyboard alone; the form posts the answer as JSON.
// Enter submits the answer (pre-filled with the model's suggestion), `a` accepts the suggestion as is, number keys
// choose a label, option or rating (or label the selected text), `s` goes to the skip reason.
(function () {
  "use strict";

  var root = document.getElementById("annotate");
  if (!root) return;
  var config = JSON.parse(document.getElementById("task-config").textContent);
  var given = config.answer === undefined ? null : config.answer;  // an answer the server refused, to fix
  var form = el("answer-form");
  var statusLine = el("answer-status");
  var acceptButton = el("accept-suggestion");

  function el(id) { return document.getElementById(id); }

  function all(selector) { return Array.prototype.slice.call(document.querySelectorAll(selector)); }

  function say(message, isError) {
    statusLine.textContent = message || "";
    statusLine.classList.toggle("error", Boolean(isError));
  }

  function isTyping(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName;
    return tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable ||
      (tag === "INPUT" && !/^(button|submit|checkbox|radio|reset)$/i.test(target.type));
  }

  function digit(event) { return /^[1-9]$/.test(event.key) ? Number(event.key) - 1 : -1; }

  // --- time spent: counted only while the page is visible ------------------------------------------------------

  var spentMs = 0, visibleSince = document.hidden ? null : performance.now();
  document.addEventListener("visibilitychange", function () {
    if (document.hidden && visibleSince !== null) {
      spentMs += performance.now() - visibleSince;
      visibleSince = null;
    } else if (!document.hidden && visibleSince === null) {
      visibleSince = performance.now();
    }
  });

  function secondsSpent() {
    var ms = spentMs + (visibleSince === null ? 0 : performance.now() - visibleSince);
    return Math.min(ms / 1000, 86400);
  }

  // --- labels, options, ratings: buttons pressed by click or number key ----------------------------------------

  function choiceEditor(options) {
    var buttons = all("#choices .choice");

    function choose(button) {
      if (options.multi) {
        button.setAttribute("aria-pressed", String(button.getAttribute("aria-pressed") !== "true"));
      } else {
        buttons.forEach(function (b) { b.setAttribute("aria-pressed", String(b === button)); });
      }
      say("");
    }

    buttons.forEach(function (b) { b.addEventListener("click", function () { choose(b); }); });
    if (given !== null) {
      var values = options.initial(given);
      buttons.forEach(function (b) { b.setAttribute("aria-pressed", String(values.indexOf(options.parse(b.dataset.value)) >= 0)); });
    }
    return {
      key: function (event) {
        var i = digit(event);
        if (i < 0 || i >= buttons.length) return false;
        choose(buttons[i]);
        return true;
      },
      answer: function () {
        var chosen = buttons.filter(function (b) { return b.getAttribute("aria-pressed") === "true"; })
          .map(function (b) { return options.parse(b.dataset.value); });
        if (options.multi) return chosen;
        return chosen.length ? options.wrap(chosen[0]) : undefined;
      },
      missing: options.missing,
    };
  }

  // --- word-level diff (longest common subsequence over words) ------------------------------------------------

  var DIFF_CELLS = 1e6;  // beyond this the changed middle is shown as one deletion and one insertion

  function words(text) { return text.split(/\s+/).filter(Boolean); }

  function wordDiff(a, b) {
    var head = [], tail = [], start = 0, endA = a.length, endB = b.length, i, j;
    while (start < endA && start < endB && a[start] === b[start]) head.push(["=", a[start++]]);
    while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
      endA--;
      endB--;
      tail.unshift(["=", a[endA]]);
    }
    var n = endA - start, m = endB - start, middle = [];
    if (n * m > DIFF_CELLS) {
      for (i = start; i < endA; i++) middle.push(["-", a[i]]);
      for (j = start; j < endB; j++) middle.push(["+", b[j]]);
      return head.concat(middle, tail);
    }
    var w = m + 1, lcs = new Uint32Array((n + 1) * w);  // lcs[i][j]: common words of a[i..] and b[j..]
    for (i = n - 1; i >= 0; i--) {
      for (j = m - 1; j >= 0; j--) {
        lcs[i * w + j] = a[start + i] === b[start + j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
      }
    }
    i = 0; j = 0;
    while (i < n && j < m) {
      if (a[start + i] === b[start + j]) { middle.push(["=", a[start + i]]); i++; j++; }
      else if (lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) { middle.push(["-", a[start + i]]); i++; }
      else { middle.push(["+", b[start + j]]); j++; }
    }
    while (i < n) middle.push(["-", a[start + i++]]);
    while (j < m) middle.push(["+", b[start + j++]]);
    return head.concat(middle, tail);
  }

  function renderDiff(box, before, after) {
    var ops = wordDiff(words(before), words(after)), removed = 0, added = 0;
    box.textContent = "";
    var tags = { "=": "span", "-": "del", "+": "ins" }, last = null, node = null;
    ops.forEach(function (op) {
      if (op[0] === "-") removed++;
      if (op[0] === "+") added++;
      if (op[0] !== last) {
        if (node) box.appendChild(document.createTextNode(" "));
        node = document.createElement(tags[op[0]]);
        box.appendChild(node);
        last = op[0];
        node.textContent = op[1];
      } else {
        node.textContent += " " + op[1];
      }
    });
    var summary = document.createElement("p");
    summary.className = "muted small";
    summary.textContent = removed || added ?
      removed + " word" + (removed === 1 ? "" : "s") + " removed, " + added + " added" : "No changes from the suggestion.";
    box.appendChild(summary);
  }

  // --- correction: a text box (and, for extractive summaries, the sentences to pick) ---------------------------

  function correctionEditor() {
    var area = el("correction"), diffBox = el("diff");
    var bySentence = config.correction_mode === "sentences";
    var sentences = bySentence && Array.isArray(config.input.sentences) ? config.input.sentences : [];
    var boxes = all("#sentences input[name=sentence]");
    var edited = false;

    function joined(indices) {
      return indices.filter(function (i) { return typeof sentences[i] === "string"; })
        .map(function (i) { return sentences[i]; }).join(" ");
    }

    function checked() { return boxes.filter(function (b) { return b.checked; }).map(function (b) { return Number(b.value); }); }

    function same(a, b) { return words(a).join(" ") === words(b).join(" "); }

    var suggestion = bySentence ?
      joined((config.suggestion && config.suggestion.selected) || []) :
      (typeof config.suggestion === "string" ? config.suggestion : "");

    function update() { renderDiff(diffBox, suggestion, area.value); }

    if (given !== null && bySentence && Array.isArray(given.selected)) {
      boxes.forEach(function (b) { b.checked = given.selected.indexOf(Number(b.value)) >= 0; });
      area.value = typeof given.reference === "string" ? given.reference : joined(checked());
      edited = typeof given.reference === "string";
    } else if (given !== null && typeof given === "string") {
      area.value = given;
      edited = true;
    }
    area.addEventListener("input", function () { edited = true; update(); });
    boxes.forEach(function (b) {
      b.addEventListener("change", function () {
        if (!edited) area.value = joined(checked());
        update();
      });
    });
    update();
    return {
      key: function (event) {
        if (event.key === "e") { area.focus(); return true; }
        var i = digit(event);
        if (i < 0 || i >= boxes.length) return false;
        boxes[i].click();
        return true;
      },
      answer: function () {
        if (bySentence) {
          var selected = checked(), answer = { selected: selected };
          if (words(area.value).length && !same(area.value, joined(selected))) answer.reference = area.value.trim();
          return answer;
        }
        return area.value.trim() ? area.value : undefined;
      },
      missing: "Write the corrected text first.",
    };
  }

  // --- spans: select characters, press a label's number --------------------------------------------------------

  function spansEditor() {
    var box = el("span-text"), list = el("span-list"), empty = el("span-empty");
    var text = typeof config.input === "string" ? config.input : "";
    var labels = config.labels, editable = config.editable;
    var suggested = Array.isArray(config.suggestion) ? config.suggestion.filter(isSpan) : [];

    function isSpan(s) {
      return Array.isArray(s) && s.length >= 3 && Number.isInteger(s[0]) && Number.isInteger(s[1]) && typeof s[2] === "string";
    }

    // The server counts characters as code points, the browser as UTF-16 units; spans are kept in units here.
    function toUnits(codePoints) { return Array.from(text).slice(0, codePoints).join("").length; }
    function toCodePoints(units) { return Array.from(text.slice(0, units)).length; }

    var initial = given !== null && Array.isArray(given) ? given.filter(isSpan) : suggested;
    var spans = editable ? initial.map(function (s) { return [toUnits(s[0]), toUnits(s[1]), s[2]]; }) : [];
    var tokens = [], match, tokenPattern = /[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu;
    while ((match = tokenPattern.exec(text))) tokens.push([match.index, match.index + match[0].length]);
    var keyboardRange = null;  // {anchor, focus}: token indices chosen with the arrow keys

    function hue(label) { var i = labels.indexOf(label); return i < 0 ? 0 : i % 5; }

    function quote(s) { return "“" + text.slice(s[0], s[1]) + "”"; }

    function keyboardOffsets() {
      if (!keyboardRange) return null;
      var first = Math.min(keyboardRange.anchor, keyboardRange.focus), last = Math.max(keyboardRange.anchor, keyboardRange.focus);
      return [tokens[first][0], tokens[last][1]];
    }

    function renderText() {
      var kb = keyboardOffsets(), cuts = [0, text.length];
      spans.forEach(function (s) { cuts.push(s[0], s[1]); });
      if (kb) cuts.push(kb[0], kb[1]);
      cuts = cuts.filter(function (c, i) { return cuts.indexOf(c) === i; }).sort(function (x, y) { return x - y; });
      box.textContent = "";
      for (var k = 0; k < cuts.length - 1; k++) {
        var from = cuts[k], to = cuts[k + 1];
        var node = document.createTextNode(text.slice(from, to));
        var span = spans.filter(function (s) { return s[0] <= from && to <= s[1]; })[0];
        if (span) {
          var mark = document.createElement("mark");
          mark.className = "l" + hue(span[2]) + (to === span[1] ? " span-end" : "");
          mark.dataset.label = span[2];
          mark.title = span[2];
          mark.appendChild(node);
          node = mark;
        }
        if (kb && kb[0] <= from && to <= kb[1]) {
          var wrap = document.createElement("span");
          wrap.className = "kbd-range";
          wrap.appendChild(node);
          node = wrap;
        }
        box.appendChild(node);
      }
    }

    function renderList() {
      list.textContent = "";
      var shown = editable ? spans : suggested;
      shown.forEach(function (s, i) {
        var item = document.createElement("li"), what = document.createElement("span"), chip = document.createElement("span");
        what.className = "quote";
        // On masked text the offsets point into the original: say where, not what.
        what.textContent = editable ? quote(s) : "characters " + s[0] + "–" + s[1];
        chip.className = "label-chip";
        chip.textContent = s[2];
        item.append(what, " ", chip);
        if (editable) {
          var remove = document.createElement("button");
          remove.type = "button";
          remove.className = "secondary";
          remove.textContent = "Remove";
          remove.setAttribute("aria-label", "Remove span " + quote(s) + " " + s[2]);
          remove.addEventListener("click", function () {
            spans.splice(i, 1);
            render();
            say("Removed " + quote(s) + ".");
            box.focus();
          });
          item.append(remove);
        }
        list.appendChild(item);
      });
      empty.hidden = shown.length > 0;
    }

    function render() { renderText(); renderList(); }

    function selectionOffsets() {
      var selection = window.getSelection();
      if (!selection || !selection.rangeCount || selection.isCollapsed) return null;
      var range = selection.getRangeAt(0), whole = document.createRange();
      whole.selectNodeContents(box);
      if (!range.intersectsNode(box)) return null;
      function at(node, offset) {
        var where = whole.comparePoint(node, offset);
        if (where < 0) return 0;
        if (where > 0) return text.length;
        var before = document.createRange();
        before.setStart(box, 0);
        before.setEnd(node, offset);
        return before.toString().length;  // labels are CSS content, so only the text counts
      }
      var start = at(range.startContainer, range.startOffset), end = at(range.endContainer, range.endOffset);
      while (start < end && /\s/.test(text[start])) start++;
      while (end > start && /\s/.test(text[end - 1])) end--;
      return end > start ? [start, end] : null;
    }

    function addSpan(index) {
      if (!editable) { say("Spans cannot be edited on masked text.", true); return; }
      var label = labels[index];
      if (!label) return;
      var offsets = selectionOffsets() || keyboardOffsets();
      if (!offsets) { say("Select some text first, then press the label's number.", true); return; }
      var clash = spans.filter(function (s) { return s[0] < offsets[1] && offsets[0] < s[1]; })[0];
      if (clash) { say("That overlaps " + quote(clash) + "; remove that span first.", true); return; }
      var span = [offsets[0], offsets[1], label];
      spans.push(span);
      spans.sort(function (x, y) { return x[0] - y[0]; });
      window.getSelection().removeAllRanges();
      keyboardRange = null;
      render();
      say("Labelled " + quote(span) + " as " + label + ".");
    }

    all("#span-labels .chip").forEach(function (chip) {
      chip.addEventListener("mousedown", function (event) { event.preventDefault(); });  // keep the text selection
      chip.addEventListener("click", function () { addSpan(Number(chip.dataset.index)); });
    });

    box.addEventListener("mousedown", function () {
      if (keyboardRange) { keyboardRange = null; renderText(); }
    });

    box.addEventListener("keydown", function (event) {
      if (!editable || !tokens.length) return;
      if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
        var step = event.key === "ArrowRight" ? 1 : -1;
        var clamp = function (i) { return Math.max(0, Math.min(tokens.length - 1, i)); };
        if (!keyboardRange) {
          var first = step > 0 ? 0 : tokens.length - 1;
          keyboardRange = { anchor: first, focus: first };
        } else if (event.shiftKey) {
          keyboardRange.focus = clamp(keyboardRange.focus + step);
        } else {
          var edge = step > 0 ? Math.max(keyboardRange.anchor, keyboardRange.focus) : Math.min(keyboardRange.anchor, keyboardRange.focus);
          var next = clamp(edge + step);
          keyboardRange = { anchor: next, focus: next };
        }
        window.getSelection().removeAllRanges();
        renderText();
        say("Selected " + quote(keyboardOffsets()) + ".");
      } else if (event.key === "Escape") {
        keyboardRange = null;
        window.getSelection().removeAllRanges();
        renderText();
        say("");
      } else {
        return;
      }
      event.preventDefault();
      event.stopPropagation();
    });

    if (!editable) box.classList.add("locked");
    render();
    return {
      key: function (event) {
        var i = digit(event);
        if (i < 0 || i >= labels.length) return false;
        addSpan(i);
        return true;
      },
      answer: function () {
        if (!editable) return suggested;
        return spans.map(function (s) { return [toCodePoints(s[0]), toCodePoints(s[1]), s[2]]; });
      },
      missing: "",
    };
  }

  // --- the form and the keys -----------------------------------------------------------------------------------

  function identity(value) { return value; }

  function listOf(value) { return Array.isArray(value) ? value : [value]; }

  var editors = {
    classification: function () {
      return choiceEditor({
        multi: config.multilabel, parse: String, wrap: identity, initial: listOf, missing: "Choose a label first (number keys).",
      });
    },
    preference: function () {
      return choiceEditor({
        multi: false, parse: Number, wrap: function (i) { return { chosen: i }; },
        initial: function (answer) { return answer && typeof answer === "object" ? [answer.chosen] : []; },
        missing: "Choose the better option first (1 or 2).",
      });
    },
    rating: function () {
      return choiceEditor({ multi: false, parse: Number, wrap: identity, initial: listOf, missing: "Choose a rating from 1 to 5 first." });
    },
    spans: spansEditor,
    correction: correctionEditor,
  };
  var editor = (editors[config.feedback_type] || editors.classification)();
  var submitting = false;

  function submit(button) {
    button = button || el("submit-answer");
    if (form.requestSubmit) form.requestSubmit(button);
    else button.click();
  }

  form.addEventListener("submit", function (event) {
    if (submitting) { event.preventDefault(); return; }  // one answer per item, even on a double Enter
    el("id_seconds_spent").value = secondsSpent().toFixed(2);
    var accepting = event.submitter && event.submitter.name === "accept";
    if (accepting) {
      el("id_result").value = "";  // the server answers with the suggestion it holds
    } else {
      var answer = editor.answer();
      if (answer === undefined) {
        event.preventDefault();
        say(editor.missing, true);
        return;
      }
      el("id_result").value = JSON.stringify(answer);
    }
    submitting = true;
  });
  window.addEventListener("pageshow", function () { submitting = false; });
  root.dataset.ready = "true";  // the keys work from here on

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.metaKey) return;
    var target = event.target;
    if (event.ctrlKey) {
      if (event.key === "Enter" && form.contains(target)) { event.preventDefault(); submit(); }
      return;
    }
    if (isTyping(target)) {
      if (event.key === "Escape") target.blur();
      return;
    }
    if (editor.key(event)) { event.preventDefault(); return; }
    if (event.key === "Enter") {
      if (target.closest && target.closest("a, summary, #skip-form, button:not(.choice)")) return;  // their own Enter
      event.preventDefault();
      submit();
    } else if (event.key === "a" && acceptButton) {
      event.preventDefault();
      submit(acceptButton);
    } else if (event.key === "s") {
      event.preventDefault();
      el("id_reason").focus();
    }
  });
})();
