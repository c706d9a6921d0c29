// Model pages: a run page follows its run live (polls the run's JSON while queued or running),
// and the start-run form shows the chosen strategy's defaults. The plots are drawn on the server (suite/charts.py),
// so when an epoch finishes the page is fetched again and its plots replace the old ones: no geometry here.
(function () {
  "use strict";

  var POLL_MS = 1000;

  function el(id) { return document.getElementById(id); }

  function esc(text) {
    return String(text).replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  }

  function num(value, digits) {
    return typeof value === "number" && isFinite(value) ? value.toFixed(digits) : "—";
  }

  function when(iso) { return iso ? iso.slice(0, 19).replace("T", " ") : "—"; }

  var plotsShown = null;  // which epochs, best epoch and state the plots on the page show

  function refreshPlots(run) {
    var key = [run.epochs.length, run.best_epoch, run.status].join(":");
    if (key === plotsShown) return;
    plotsShown = key;
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        ["plot-loss", "plot-metric"].forEach(function (id) {
          var fresh = page.getElementById(id), old = el(id);
          if (fresh && old) old.replaceWith(document.importNode(fresh, true));
        });
      })
      .catch(function () { plotsShown = null; });  // the next poll tries again
  }

  function validation(epoch, name) { return (epoch.validation || {})[name]; }

  function render(root, run) {
    var status = el("run-status");
    status.textContent = run.status;
    status.className = "badge " + run.status;
    el("run-stage").textContent = run.stage || "—";
    var percent = Math.round(run.progress * 100);
    el("run-progress").value = percent;
    el("run-percent").textContent = percent + "%";
    el("run-cancel").hidden = !run.is_active;
    el("run-restart").hidden = run.is_active;
    el("run-started").textContent = when(run.started_at);
    el("run-finished").textContent = when(run.finished_at);
    el("run-best").textContent = run.best_epoch || "—";
    el("run-worker").textContent = run.worker || "—";

    var names = run.metric_names, metric = run.primary_metric;
    refreshPlots(run);
    var rows = run.epochs.map(function (e) {
      var best = e.epoch === run.best_epoch;
      return "<tr" + (best ? ' class="best" title="best epoch"' : "") + "><td>" + e.epoch + (best ? " ★" : "") + "</td>" +
        '<td class="num">' + num(e.train_loss, 4) + "</td>" +
        names.map(function (name) { return '<td class="num">' + num(validation(e, name), 4) + "</td>"; }).join("") +
        '<td class="num">' + num(e.seconds, 1) + "</td></tr>";
    });
    el("run-epochs").tBodies[0].innerHTML = rows.length ? rows.join("") :
      '<tr class="empty-row"><td colspan="' + (names.length + 3) + '" class="empty">No epoch has finished yet.</td></tr>';

    var gate = run.gate || {}, tested = names.filter(function (name) { return name in run.test_metrics; });
    el("run-outcome").hidden = !gate.why && !tested.length;
    var gateEl = el("run-gate");
    gateEl.className = "gate" + (gate.promoted ? " promoted" : "");
    if (gate.why) {
      var version = run.version && root.dataset.kindUrl ?
        ' (<a href="' + esc(root.dataset.kindUrl) + '">v' + run.version + "</a>)" : "";
      gateEl.innerHTML = "<strong>" + (gate.promoted ? "Promoted to production" : "Kept as candidate") + version + "</strong>" +
        (gate.interval ? " against " + esc(gate.against) + "." : ": " + esc(gate.why));
    }
    renderGateChecks(gate);
    el("run-results").tBodies[0].innerHTML = tested.map(function (name) {
      var label = name === metric ? "<strong>" + esc(name) + "</strong>" : esc(name);
      return "<tr><td>" + label + '</td><td class="num">' + num(run.test_metrics[name], 4) + '</td><td class="num">' +
        num(run.baseline_metrics[name], 4) + "</td></tr>";
    }).join("");
    var error = el("run-error");
    error.textContent = run.error;
    error.hidden = !run.error || run.status !== "failed";  // a succeeded run never shows a failure box
    renderPhases(run.phases || []);
  }

  function renderGateChecks(gate) {
    var list = el("run-gate-checks"), out = "", i = gate.interval, g = gate.golden;
    if (!list) return;
    function verdict(passed) { return passed ? "passed" : "refused"; }
    if (i) {
      out += '<li id="gate-interval" class="' + verdict(i.passed) + '"><strong>Test split, paired bootstrap: ' + verdict(i.passed) +
        ".</strong> " + esc(i.metric) + " " + num(i.new, 4) + " vs " + num(i.current, 4) + "; improvement " + num(i.difference, 4) +
        ", 95% interval [" + num(i.low, 4) + ", " + num(i.high, 4) + "] over " + i.groups + " groups; must clear " + num(i.margin, 4) + ".</li>";
    }
    if (g) {
      out += '<li id="gate-golden" class="' + verdict(g.passed) + '"><strong>Golden set: ' + verdict(g.passed) + ".</strong> " +
        (g.examples ? g.examples + " examples, " + esc(g.metric) + " " + num(g.new, 4) + " vs " + num(g.current, 4) +
          " serving now; regression " + num(g.regression, 4) + ", tolerance " + num(g.tolerance, 4) + "." : esc(g.why)) + "</li>";
    }
    list.innerHTML = out;
  }

  function phaseTime(p) {
    if (p.state === "current") {
      return Math.round(p.seconds) + " s so far" + (p.estimate_seconds != null ? ", about " + Math.round(p.estimate_seconds) + " s left" : "");
    }
    if (p.seconds != null) return p.seconds.toFixed(1) + " s";
    if (p.state === "pending" && p.estimate_seconds != null) return "usually " + Math.round(p.estimate_seconds) + " s";
    return "";
  }

  function renderPhases(phases) {
    var list = el("run-phases");
    if (!list) return;
    list.innerHTML = phases.map(function (p) {
      return '<li class="phase ' + esc(p.state) + '"><span class="phase-name">' + esc(p.name) + '</span> <span class="phase-time">' +
        esc(phaseTime(p)) + "</span></li>";
    }).join("");
  }

  function follow(root) {
    var failures = 0;
    function poll() {
      fetch(root.dataset.jsonUrl, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        })
        .then(function (run) {
          failures = 0;
          render(root, run);
          if (run.is_active) window.setTimeout(poll, POLL_MS);
        })
        .catch(function () {
          failures += 1;
          if (failures < 30) window.setTimeout(poll, POLL_MS * Math.min(failures * 2, 10));
        });
    }
    window.setTimeout(poll, POLL_MS);
  }

  function strategyPlaceholders(form) {
    var defaults = JSON.parse(el("strategy-defaults").textContent);
    var select = form.elements.strategy;
    function show() {
      var values = defaults[select.value] || {};
      form.querySelectorAll("[data-hyperparameter]").forEach(function (input) {
        var v = values[input.dataset.hyperparameter];
        if (v !== undefined) input.placeholder = String(v);
      });
    }
    select.addEventListener("change", show);
    show();
  }

  var run = el("run");
  if (run && run.dataset.active === "true") follow(run);
  var form = el("start-run-form");
  if (form && el("strategy-defaults")) strategyPlaceholders(form);
})();
