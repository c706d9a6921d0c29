"""The dashboard's numbers: throughput, acceptance and agreement per annotator, flag rates per model version."""

from collections import defaultdict
from datetime import timedelta
from statistics import median

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from annotation import agreement
from annotation.models import Annotation, AnnotationTask, Flag
from suite.ml.models import ModelOutput


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
        alpha = agreement.krippendorff_alpha(
            [[labels.get(c) for c in coders] for labels in ratings.values()], level="interval"
        )
    span_scores = [
        agreement.span_f1(*list(labels.values())[:2]) for labels in spans_per_item.values() if len(labels) >= 2
    ]

    since = timezone.now() - timedelta(days=days)
    daily = (
        annotations.filter(created_at__gte=since)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(submitted=Count("id"), accepted=Count("id", filter=Q(status=Annotation.Status.ACCEPTED)))
        .order_by("day")
    )
    outputs = ModelOutput.objects.all() if not kind else ModelOutput.objects.filter(kind=kind)
    output_counts = outputs.values("kind", "version__number").annotate(n=Count("id"))
    flags = Flag.objects.all() if not kind else Flag.objects.filter(output__kind=kind)
    flag_counts = {
        (r["output__kind"], r["output__version__number"]): r["n"]
        for r in flags.values("output__kind", "output__version__number").annotate(n=Count("id"))
    }
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
                "annotator": name,
                "submitted": r["submitted"],
                "accepted": r["accepted"],
                "rejected": r["rejected"],
                "acceptance_rate": round(r["accepted"] / (r["accepted"] + r["rejected"]), 4)
                if r["accepted"] + r["rejected"]
                else None,
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
        "daily": [
            {"date": r["day"].isoformat(), "submitted": r["submitted"], "accepted": r["accepted"]} for r in daily
        ],
        "flag_rates": [
            {
                "kind": r["kind"],
                "version": r["version__number"],
                "outputs": r["n"],
                "flags": flag_counts.get((r["kind"], r["version__number"]), 0),
                "rate": round(flag_counts.get((r["kind"], r["version__number"]), 0) / r["n"], 4),
            }
            for r in output_counts.order_by("kind", "version__number")
        ],
        "flag_rates_daily": [
            {
                "date": r["day"].isoformat(),
                "kind": r["kind"],
                "version": r["version__number"],
                "outputs": r["n"],
                "flagged": r["flagged"],
                "rate": round(r["flagged"] / r["n"], 4),
            }
            for r in flag_days
        ],
    }
