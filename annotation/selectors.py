"""Reads of the annotation app, with its rules: masking for personal data, review queues, training examples."""
from collections import defaultdict
from datetime import timedelta
from statistics import median

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.http import Http404

from annotation import agreement
from annotation import privacy
from annotation.models import Annotation, AnnotationTask, ExportJob, Flag
from suite import access
from suite.ml.models import ModelOutput
from suite.ml import kinds as K
from suite.ml import selectors as ml_selectors


def accepted_examples(kind: str, since=None) -> list[dict]:
    """Every accepted example of a kind, from every source (annotations, and e.g. the chatbot's ratings): the same
    data as suite.ml's, for manual snapshots and scheduled retraining alike."""
    return ml_selectors.accepted_examples(kind=kind, since=since)


def annotation_examples(kind: str, since=None) -> list[dict]:
    """Accepted answers of annotation tasks of a kind as training examples (the source this app registers)."""
    model_kind = K.get_kind(kind)
    # Preference items train reward models and go out through exports, not into the kind's own snapshots.
    rows = Annotation.objects.filter(
        task__kind=kind, task__feedback_type=model_kind.feedback_type, status=Annotation.Status.ACCEPTED
    ).select_related("task")
    if since is not None:
        rows = rows.filter(reviewed_at__gt=since)
    examples = []
    for annotation in rows.order_by("id"):
        task = annotation.task
        example = model_kind.example_from_annotation({
            "id": f"task-{task.pk}", "group": task.group or f"task-{task.pk}", "input": task.input,
            "result": annotation.result, "feedback_type": task.feedback_type,
        })
        # A kind may turn one answer into several examples (a preference into a chosen and a rejected pair).
        if isinstance(example, list):
            examples.extend(example)
        elif example is not None:
            examples.append(example)
    return examples


def review_queue(*, kind: str | None = None):
    tasks = AnnotationTask.objects.filter(status=AnnotationTask.Status.IN_REVIEW).prefetch_related("annotations")
    return tasks.filter(kind=kind) if kind else tasks


def task_input_for(*, task: AnnotationTask, user):
    """What a person may see of a task's input: the original for its owner, masked for everyone else."""
    if not task.personal or (task.subject_owner_id and task.subject_owner_id == user.pk):
        return task.input

    # Every text at any depth (a preference item's options too); spans tasks keep offsets so they stay editable.
    return privacy.shown_to(
        task.input, viewer=user, owner=task.subject_owner, keep_offsets=task.feedback_type == "spans",
    )


def task_value_for(*, task: AnnotationTask, user, value):
    """An answer or prediction of a personal task (free text may quote the input) as `user` may see it."""
    if not task.personal or value is None:
        return value
    return privacy.shown_to(value, viewer=user, owner=task.subject_owner, keep_offsets=task.feedback_type == "spans")


def export_rows(*, kind: str, scope: str = "accepted", user=None, chunk_size: int = 500):
    """Rows of a kind for an export, streamed from the database a chunk at a time.

    `accepted`: each accepted annotation with its task; `all`: every task, with its accepted answer or None.
    Personal inputs are masked as `user` would see them.
    """

    K.get_kind(kind)
    viewer = user or AnonymousUser()
    accepted = Annotation.objects.filter(status=Annotation.Status.ACCEPTED).select_related("annotator", "reviewer")
    if scope == "all":
        tasks = (
            AnnotationTask.objects.filter(kind=kind).select_related("prediction_version")
            .prefetch_related(Prefetch("annotations", queryset=accepted, to_attr="accepted_annotations")).order_by("id")
        )
        pairs = ((task, next(iter(task.accepted_annotations), None)) for task in tasks.iterator(chunk_size=chunk_size))
    else:
        annotations = accepted.filter(task__kind=kind).select_related("task", "task__prediction_version").order_by("task_id", "id")
        pairs = ((annotation.task, annotation) for annotation in annotations.iterator(chunk_size=chunk_size))
    for task, annotation in pairs:
        yield {
            "task": task.pk, "kind": task.kind, "feedback_type": task.feedback_type, "group": task.group,
            "input": task_input_for(task=task, user=viewer) if task.personal else task.input,
            "result": task_value_for(task=task, user=viewer, value=annotation.result if annotation else None),
            "prediction": task_value_for(task=task, user=viewer, value=task.prediction),
            "prediction_score": task.prediction_score,
            "model_version": task.prediction_version.number if task.prediction_version_id else None,
            "status": task.status, "source": task.source,
            "annotator": annotation.annotator.get_username() if annotation and annotation.annotator else None,
            "reviewer": annotation.reviewer.get_username() if annotation and annotation.reviewer else None,
        }


def export_job_get(*, user, pk: int):
    """An export job its requester (or staff) may see; 404 for anyone else, as if it did not exist."""


    jobs = ExportJob.objects.all() if access.is_staff(user) else access.owned_by(ExportJob.objects.all(), user, owner_field="requested_by")
    try:
        return jobs.get(pk=pk)
    except ExportJob.DoesNotExist:
        raise Http404("No export job matches the given query.") from None


# --- dashboard ---------------------------------------------------------------------------------


def _label_key(feedback_type: str, result):
    """A hashable form of an answer, for agreement on classification and rating items."""
    if feedback_type == "rating":
        return float(result) if isinstance(result, (int, float)) else None
    if isinstance(result, list):
        return "|".join(sorted(map(str, result)))
    return str(result)


def annotation_dashboard(*, kind: str | None = None, days: int = 30) -> dict:
    """Throughput, acceptance and agreement per annotator, agreement between annotators, flag rates per version."""
    annotations = Annotation.objects.filter(adjudicated=False).select_related("annotator", "task")
    if kind:
        annotations = annotations.filter(task__kind=kind)

    per_annotator = defaultdict(lambda: {"submitted": 0, "accepted": 0, "rejected": 0, "seconds": []})
    per_item = defaultdict(dict)  # task id -> {annotator: answer}
    spans_per_item = defaultdict(dict)
    feedback_of = {}
    for a in annotations.iterator(chunk_size=2000):
        if a.annotator is None:  # imported answers have no annotator
            continue
        row = per_annotator[a.annotator.username]
        row["submitted"] += 1
        row["accepted"] += a.status == Annotation.Status.ACCEPTED
        row["rejected"] += a.status == Annotation.Status.REJECTED
        if a.seconds_spent is not None:
            row["seconds"].append(a.seconds_spent)
        feedback_of[a.task_id] = a.task.feedback_type
        if a.task.feedback_type == "spans":
            spans_per_item[a.task_id][a.annotator.username] = [tuple(s[:3]) for s in a.result]
        else:
            per_item[a.task_id][a.annotator.username] = _label_key(a.task.feedback_type, a.result)

    # The reference an annotator is compared with: the accepted (often adjudicated) answer of each item.
    accepted = Annotation.objects.filter(status=Annotation.Status.ACCEPTED, task_id__in=list(per_item))
    reference = {a.task_id: _label_key(feedback_of[a.task_id], a.result) for a in accepted}
    with_reference = agreement.annotator_agreement_with_reference(
        {item: labels for item, labels in per_item.items() if item in reference}, reference
    )

    overlapping = {item: labels for item, labels in per_item.items() if len(labels) >= 2}
    nominal = {i: l for i, l in overlapping.items() if feedback_of[i] != "rating"}
    ratings = {i: l for i, l in overlapping.items() if feedback_of[i] == "rating"}
    cohen = agreement.pairwise_mean(nominal) if nominal else None
    fleiss = None
    by_count = defaultdict(list)
    for labels in nominal.values():
        by_count[len(labels)].append(list(labels.values()))
    if by_count:
        n, items = max(by_count.items(), key=lambda kv: len(kv[1]))  # Fleiss needs the same number of raters
        fleiss = agreement.fleiss_kappa(items) if len(items) >= 2 else None
    alpha = None
    if ratings:
        coders = sorted({c for labels in ratings.values() for c in labels})
        alpha = agreement.krippendorff_alpha([[labels.get(c) for c in coders] for labels in ratings.values()], level="interval")
    span_scores = [
        agreement.span_f1(*list(labels.values())[:2]) for labels in spans_per_item.values() if len(labels) >= 2
    ]

    since = timezone.now() - timedelta(days=days)
    daily = (
        annotations.filter(created_at__gte=since).annotate(day=TruncDate("created_at")).values("day")
        .annotate(submitted=Count("id"), accepted=Count("id", filter=Q(status=Annotation.Status.ACCEPTED))).order_by("day")
    )
    outputs = ModelOutput.objects.all() if not kind else ModelOutput.objects.filter(kind=kind)
    output_counts = outputs.values("kind", "version__number").annotate(n=Count("id"))
    flags = Flag.objects.all() if not kind else Flag.objects.filter(output__kind=kind)
    flag_counts = {(r["output__kind"], r["output__version__number"]): r["n"] for r in flags.values("output__kind", "output__version__number").annotate(n=Count("id"))}
    # Over time: each day's outputs of each version, and how many of them were flagged (by the day they were shown).
    recent = outputs.filter(created_at__gte=since).annotate(day=TruncDate("created_at"))
    flag_days = (
        recent.values("day", "kind", "version__number")
        .annotate(n=Count("id"), flagged=Count("id", filter=Exists(Flag.objects.filter(output=OuterRef("pk")))))
        .order_by("day", "kind", "version__number")
    )

    return {
        "kinds": sorted(set(AnnotationTask.objects.values_list("kind", flat=True))),
        "throughput": [
            {
                "annotator": name, "submitted": r["submitted"], "accepted": r["accepted"], "rejected": r["rejected"],
                "acceptance_rate": round(r["accepted"] / (r["accepted"] + r["rejected"]), 4) if r["accepted"] + r["rejected"] else None,
                "median_seconds": round(median(r["seconds"]), 2) if r["seconds"] else None,
                "agreement_with_adjudicated": round(with_reference[name], 4) if name in with_reference else None,
            }
            for name, r in sorted(per_annotator.items())
        ],
        "agreement": {
            "cohen_kappa": None if cohen is None else round(cohen, 4),
            "fleiss_kappa": None if fleiss is None else round(fleiss, 4),
            "span_f1": round(sum(span_scores) / len(span_scores), 4) if span_scores else None,
            "krippendorff_alpha": None if alpha is None else round(alpha, 4),
            "items_with_overlap": len(overlapping) + sum(1 for labels in spans_per_item.values() if len(labels) >= 2),
        },
        "daily": [{"date": r["day"].isoformat(), "submitted": r["submitted"], "accepted": r["accepted"]} for r in daily],
        "flag_rates": [
            {
                "kind": r["kind"], "version": r["version__number"], "outputs": r["n"],
                "flags": flag_counts.get((r["kind"], r["version__number"]), 0),
                "rate": round(flag_counts.get((r["kind"], r["version__number"]), 0) / r["n"], 4),
            }
            for r in output_counts.order_by("kind", "version__number")
        ],
        "flag_rates_daily": [
            {"date": r["day"].isoformat(), "kind": r["kind"], "version": r["version__number"], "outputs": r["n"],
             "flagged": r["flagged"], "rate": round(r["flagged"] / r["n"], 4)}
            for r in flag_days
        ],
    }
