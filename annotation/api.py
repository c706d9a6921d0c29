"""The annotation loop over the API: flag, take the next item, answer, review, adjudicate, freeze a dataset."""
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from annotation import selectors
from annotation.models import Annotation, AnnotationTask, Flag
from annotation.services import audit, flags, preannotation, queue, review, snapshots
from suite import access
from suite.ml.kinds import get_kind


class AnnotationOutput(serializers.ModelSerializer):
    class Meta:
        model = Annotation
        fields = ["id", "task", "annotator", "result", "parent_prediction", "changed", "seconds_spent", "status",
                  "adjudicated", "reviewer", "review_comment", "created_at", "reviewed_at"]


class TaskOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    feedback_type = serializers.CharField()
    status = serializers.CharField()
    input = serializers.JSONField()
    prediction = serializers.JSONField(allow_null=True)
    prediction_version = serializers.IntegerField(allow_null=True, source="prediction_version.number", default=None)
    prediction_score = serializers.FloatField(allow_null=True)
    flag_count = serializers.IntegerField()
    personal = serializers.BooleanField()
    labels = serializers.SerializerMethodField()

    def get_labels(self, task) -> list[str]:
        return list(get_kind(task.kind).labels)


def task_out(task: AnnotationTask, user) -> dict:
    data = TaskOutput(task).data
    data["input"] = selectors.task_input_for(task=task, user=user)
    if task.personal and task.prediction is not None:  # a model's answer may quote the input
        data["prediction"] = selectors.task_value_for(task=task, user=user, value=task.prediction)
    if task.hides_suggestion:  # a blind project: an imported person's answer stays hidden from later annotators
        data["prediction"] = None
    return data


class FlagCreateApi(APIView):
    class FlagInput(serializers.Serializer):
        output = serializers.IntegerField()
        reason = serializers.ChoiceField(choices=Flag.Reason.choices)
        comment = serializers.CharField(required=False, allow_blank=True, default="")
        correction = serializers.JSONField(required=False, allow_null=True, default=None)

    @extend_schema(request=FlagInput, responses={201: OpenApiResponse(description="the flag and its task")}, operation_id="annotation_flag_create")
    def post(self, request):
        data = self.FlagInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        output = selectors.output_for_flag(user=request.user, pk=v["output"])
        flag = flags.flag_create(
            output=output, user=request.user, reason=v["reason"], comment=v["comment"], correction=v["correction"]
        )
        return Response({"id": flag.pk, "task": flag.task_id, "reason": flag.reason}, status=status.HTTP_201_CREATED)


class TaskNextApi(APIView):
    @extend_schema(responses={200: TaskOutput, 204: OpenApiResponse(description="the queue is empty")}, operation_id="annotation_task_next")
    def get(self, request):
        task = queue.task_next(user=request.user, kind=request.query_params.get("kind") or None)
        if task is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(task_out(task, request.user))


class TaskDetailApi(APIView):
    """A task as annotators see it (personal data masked); staff may ask for the original, and it is audited."""

    permission_classes = [access.HasRole("annotator", "reviewer")]

    @extend_schema(responses={200: TaskOutput}, operation_id="annotation_task_retrieve")
    def get(self, request, pk: int):
        task = selectors.task_get(pk=pk)
        data = task_out(task, request.user)
        if request.query_params.get("unmasked") == "1" and task.personal:
            data["input"] = audit.task_input_unmasked(task=task, user=request.user)
        return Response(data)


class AnnotationSubmitApi(APIView):
    class SubmitInput(serializers.Serializer):
        result = serializers.JSONField()
        seconds_spent = serializers.FloatField(required=False, allow_null=True, default=None)

    @extend_schema(request=SubmitInput, responses={201: AnnotationOutput}, operation_id="annotation_submit")
    def post(self, request, pk: int):
        data = self.SubmitInput(data=request.data)
        data.is_valid(raise_exception=True)
        annotation = queue.annotation_submit(task=selectors.task_get(pk=pk), user=request.user, **data.validated_data)
        return Response(AnnotationOutput(annotation).data, status=status.HTTP_201_CREATED)


class TaskSkipApi(APIView):
    class SkipInput(serializers.Serializer):
        reason = serializers.CharField(max_length=500)

    @extend_schema(request=SkipInput, responses={200: OpenApiResponse(description="skipped")}, operation_id="annotation_skip")
    def post(self, request, pk: int):
        data = self.SkipInput(data=request.data)
        data.is_valid(raise_exception=True)
        queue.task_skip(task=selectors.task_get(pk=pk), user=request.user, reason=data.validated_data["reason"])
        return Response({"task": pk, "status": "skipped"})


class ReviewQueueApi(GenericAPIView):
    permission_classes = [access.HasRole("reviewer")]
    serializer_class = TaskOutput

    @extend_schema(responses={200: TaskOutput(many=True)}, operation_id="annotation_review_queue")
    def get(self, request):
        page = self.paginate_queryset(selectors.review_queue(kind=request.query_params.get("kind") or None))
        rows = [task_out(t, request.user) | {"annotations": AnnotationOutput(t.annotations.all(), many=True).data} for t in page]
        return self.get_paginated_response(rows)


class AnnotationReviewApi(APIView):
    class ReviewInput(serializers.Serializer):
        decision = serializers.ChoiceField(choices=["accept", "reject"])
        comment = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(request=ReviewInput, responses={200: AnnotationOutput}, operation_id="annotation_review")
    def post(self, request, pk: int):
        data = self.ReviewInput(data=request.data)
        data.is_valid(raise_exception=True)
        annotation = selectors.annotation_get(pk=pk)
        annotation = review.annotation_review(
            annotation=annotation, reviewer=request.user, accept=data.validated_data["decision"] == "accept",
            comment=data.validated_data["comment"],
        )
        return Response(AnnotationOutput(annotation).data)


class TaskAdjudicateApi(APIView):
    class AdjudicateInput(serializers.Serializer):
        result = serializers.JSONField()
        comment = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(request=AdjudicateInput, responses={201: AnnotationOutput}, operation_id="annotation_adjudicate")
    def post(self, request, pk: int):
        data = self.AdjudicateInput(data=request.data)
        data.is_valid(raise_exception=True)
        task = selectors.task_get(pk=pk)
        annotation = review.task_adjudicate(task=task, reviewer=request.user, **data.validated_data)
        return Response(AnnotationOutput(annotation).data, status=status.HTTP_201_CREATED)


class SnapshotCreateApi(APIView):
    permission_classes = [access.HasRole("reviewer")]

    class SnapshotInput(serializers.Serializer):
        kind = serializers.CharField()
        seed = serializers.IntegerField(required=False, default=13, min_value=0)

    @extend_schema(request=SnapshotInput, responses={201: OpenApiResponse(description="the frozen snapshot")}, operation_id="annotation_snapshot_create")
    def post(self, request):
        data = self.SnapshotInput(data=request.data)
        data.is_valid(raise_exception=True)
        snapshot = snapshots.snapshot_freeze(user=request.user, **data.validated_data)
        return Response(
            {"id": snapshot.pk, "kind": snapshot.kind, "size": snapshot.size, "split_counts": snapshot.split_counts,
             "content_hash": snapshot.content_hash},
            status=status.HTTP_201_CREATED,
        )


class DashboardApi(APIView):
    permission_classes = [access.HasRole("reviewer")]

    @extend_schema(responses={200: OpenApiResponse(description="throughput, agreement and flag rates")}, operation_id="annotation_dashboard")
    def get(self, request):
        return Response(selectors.annotation_dashboard(kind=request.query_params.get("kind") or None))


class PreannotationApi(APIView):
    permission_classes = [access.HasRole("reviewer")]

    class PreannotationInput(serializers.Serializer):
        kind = serializers.CharField()

    @extend_schema(request=PreannotationInput, responses={202: OpenApiResponse(description="queued")}, operation_id="annotation_preannotate")
    def post(self, request):
        data = self.PreannotationInput(data=request.data)
        data.is_valid(raise_exception=True)
        job = preannotation.preannotation_start(kind=data.validated_data["kind"])
        return Response({"kind": data.validated_data["kind"], "celery_task_id": job}, status=status.HTTP_202_ACCEPTED)
