"""Staff pages of the model runtime: kinds, a kind's versions and runs, a run's progress; thin over the services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from suite import access, charts
from suite.ml import kinds as K
from suite.ml import selectors, services
from suite.ml.api import TrainingRunOutput
from suite.ml.forms import PromoteForm, RollbackForm, RunStartForm, strategy_defaults
from suite.ml.models import TrainingRun

# A run's per-epoch plots (suite.charts draws every chart); ml.js fetches the page again to refresh them live.
PLOT_FRAME = charts.Frame(width=480, height=200, left=52, right=14)


def _kind_or_404(name: str) -> K.ModelKind:
    try:
        return K.get_kind(name)
    except K.UnknownKind as exc:
        raise Http404(str(exc)) from None


def _run_or_404(pk: int) -> TrainingRun:
    run = selectors.run_list().filter(pk=pk).first()
    if run is None:
        raise Http404(f"No training run #{pk}.")
    return run


def _test_metric(version, metric: str):
    return (version.metrics.get("test") or {}).get(metric) if version else None


def epoch_plot(values: list, *, best: int | None = None, unit_range: bool = False) -> dict:
    """A per-epoch line plot; epochs without a value are skipped, the best epoch's dot is marked."""
    epochs = list(range(1, len(values) + 1))
    return charts.line_chart(
        epochs, [("", values, "")], frame=PLOT_FRAME, unit_range=unit_range,
        best=best - 1 if best else None, point_title=lambda epoch, _, value: f"epoch {epoch}: {value:.4f}",
        empty="No epochs yet",
    )


def _scalars(metrics: dict, names) -> dict:
    return {name: metrics[name] for name in names if isinstance(metrics.get(name), (int, float))}


@access.staff_required
def index(request):
    rows = selectors.kind_overview()
    for row in rows:
        row["production_metric"] = _test_metric(row["production"], row["metric"])
        row["candidate_metric"] = _test_metric(row["candidate"], row["metric"])
    return render(request, "ml/index.html", {"kinds": rows})


def _kind_page(request, kind: K.ModelKind, *, start_form=None, promote_form=None, rollback_form=None, snapshot_errors=(), status=200):
    production = selectors.production_version(kind=kind.name)
    candidate = selectors.alias_version(kind=kind.name, alias="candidate")
    versions = list(selectors.version_list(kind=kind.name).prefetch_related("aliases"))
    for version in versions:
        version.alias_names = sorted(a.name for a in version.aliases.all())
        version.test_scalars = _scalars(version.metrics.get("test") or {}, kind.metric_names)
    runs = list(selectors.run_list(kind=kind.name).select_related("version")[:25])
    snapshots = list(selectors.snapshot_list(kind=kind.name)[:25])
    for snapshot in snapshots:
        snapshot.bars = charts.share_bars(snapshot.label_counts)
    for run in runs:
        run.primary = (run.test_metrics or {}).get(kind.primary_metric)
    context = {
        "kind": kind,
        "production": production,
        "candidate": candidate,
        "production_metric": _test_metric(production, kind.primary_metric),
        "candidate_metric": _test_metric(candidate, kind.primary_metric),
        "versions": versions,
        "moves": selectors.alias_history(kind=kind.name)[:25],
        "runs": runs,
        "snapshots": snapshots,
        "snapshot_errors": snapshot_errors,
        "accepted_count": len(selectors.accepted_examples(kind=kind.name)),
        "golden": selectors.golden_set(kind=kind.name),
        "start_form": start_form or RunStartForm(kind=kind),
        "promote_form": promote_form or PromoteForm(),
        "rollback_form": rollback_form or RollbackForm(),
        "strategy_defaults": strategy_defaults(),
    }
    return render(request, "ml/kind.html", context, status=status)


@access.staff_required
def kind_detail(request, kind: str):
    return _kind_page(request, _kind_or_404(kind))


@access.staff_required
@require_POST
def run_start(request, kind: str):
    model_kind = _kind_or_404(kind)
    form = RunStartForm(request.POST, kind=model_kind)
    run = form.start(user=request.user) if form.is_valid() else None
    if run is None:
        return _kind_page(request, model_kind, start_form=form, status=400)
    messages.success(request, f"Run #{run.pk} of {model_kind.name} was queued.")
    return redirect("ml:run", pk=run.pk)


@access.staff_required
@require_POST
def snapshot_freeze(request, kind: str):
    model_kind = _kind_or_404(kind)
    try:
        snapshot = services.snapshot_freeze(kind=model_kind.name, user=request.user)
    except ValidationError as exc:
        return _kind_page(request, model_kind, snapshot_errors=exc.messages, status=400)
    splits = " / ".join(str(snapshot.split_counts.get(s, 0)) for s in ("train", "validation", "test"))
    messages.success(request, f"Snapshot #{snapshot.pk} of {model_kind.name}: {snapshot.size} examples (train / validation / test {splits}).")
    return redirect("ml:kind", kind=model_kind.name)


@access.staff_required
@require_POST
def version_promote(request, kind: str):
    model_kind = _kind_or_404(kind)
    form = PromoteForm(request.POST)
    move = form.promote(kind=model_kind.name, user=request.user) if form.is_valid() else None
    if move is None:
        return _kind_page(request, model_kind, promote_form=form, status=400)
    messages.success(request, f"{model_kind.name} now serves {services.version_label(move.to_version)}.")
    return redirect("ml:kind", kind=model_kind.name)


@access.staff_required
@require_POST
def version_rollback(request, kind: str):
    model_kind = _kind_or_404(kind)
    form = RollbackForm(request.POST)
    move = form.rollback(kind=model_kind.name, user=request.user) if form.is_valid() else None
    if move is None:
        return _kind_page(request, model_kind, rollback_form=form, status=400)
    messages.success(request, f"{model_kind.name} production rolled back to {services.version_label(move.to_version)}.")
    return redirect("ml:kind", kind=model_kind.name)


def _run_page(request, run: TrainingRun, *, errors=(), status=200):
    data = TrainingRunOutput(run).data
    metric, names = data["primary_metric"], data["metric_names"]
    epochs = [
        {**e, "scalars": [(e.get("validation") or {}).get(name) for name in names], "best": e.get("epoch") == run.best_epoch}
        for e in run.epochs
    ]
    context = {
        "run": run,
        "data": data,
        "kind_registered": bool(names),
        "metric": metric,
        "metric_names": names,
        "percent": round(run.progress * 100),
        "epochs": epochs,
        "loss_plot": epoch_plot([e.get("train_loss") for e in run.epochs], best=run.best_epoch),
        "metric_plot": epoch_plot(
            [(e.get("validation") or {}).get(metric) for e in run.epochs], best=run.best_epoch, unit_range=True
        ),
        "results": [
            (name, run.test_metrics[name], run.baseline_metrics.get(name)) for name in names if name in run.test_metrics
        ],
        "hyperparameters": sorted(run.hyperparameters.items()),
        "errors": errors,
    }
    return render(request, "ml/run.html", context, status=status)


@never_cache
@access.staff_required
def run_detail(request, pk: int):
    run = _run_or_404(pk)
    if request.GET.get("format") == "json":
        return JsonResponse(TrainingRunOutput(run).data)
    return _run_page(request, run)


@never_cache
@access.staff_required
def run_json(request, pk: int):
    return JsonResponse(TrainingRunOutput(_run_or_404(pk)).data)


@access.staff_required
@require_POST
def run_cancel(request, pk: int):
    run = _run_or_404(pk)
    try:
        run = services.training_run_cancel(run=run)
    except ValidationError as exc:
        return _run_page(request, run, errors=exc.messages, status=400)
    outcome = "is cancelled" if run.status == TrainingRun.Status.CANCELLED else "will stop after its current step"
    messages.success(request, f"Run #{run.pk} {outcome}.")
    return redirect("ml:run", pk=run.pk)


@access.staff_required
@require_POST
def run_restart(request, pk: int):
    run = _run_or_404(pk)
    try:
        new = services.training_run_restart(run=run, user=request.user)
    except ValidationError as exc:
        return _run_page(request, run, errors=exc.messages, status=400)
    messages.success(request, f"Run #{new.pk} restarts run #{run.pk} with the same settings.")
    return redirect("ml:run", pk=new.pk)

