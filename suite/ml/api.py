"""The model runtime over the API, for staff: kinds, versions, aliases, training runs, promotion and rollback."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from suite import access
from suite.ml import engine, selectors, services
from suite.ml import kinds as K
from suite.ml.models import DatasetSnapshot, ModelVersion, TrainingRun


def kind_or_404(name: str) -> K.ModelKind:
    try:
        return K.get_kind(name)
    except K.UnknownKind as exc:
        raise exceptions.NotFound(str(exc)) from None


def run_or_404(pk: int) -> TrainingRun:
    run = selectors.run_list().filter(pk=pk).first()
    if run is None:
        raise exceptions.NotFound(f"No training run #{pk}.")
    return run


def _kind_metrics(name: str, gate: dict | None = None) -> tuple[str | None, list[str]]:
    try:
        kind = K.get_kind(name)
    except K.UnknownKind:  # a run of a kind no app registers any more still shows
        return (gate or {}).get("metric"), []
    return kind.primary_metric, list(kind.metric_names)


# --- output shapes --------------------------------------------------------------------------


class ModelVersionOutput(serializers.Serializer):
    number = serializers.IntegerField()
    kind = serializers.CharField()
    strategy = serializers.CharField()
    metrics = serializers.DictField(help_text="metrics per split: validation (best epoch) and test")
    parent = serializers.SerializerMethodField()
    snapshot = serializers.IntegerField(source="snapshot_id", allow_null=True)
    training_run = serializers.IntegerField(source="training_run_id", allow_null=True)
    aliases = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_parent(self, version) -> int | None:
        return version.parent.number if version.parent_id else None

    def get_aliases(self, version) -> list[str]:
        return sorted(a.name for a in version.aliases.all())


class TrainingRunEpochOutput(serializers.Serializer):
    epoch = serializers.IntegerField()
    train_loss = serializers.FloatField()
    validation = serializers.DictField()
    seconds = serializers.FloatField(required=False)


class TrainingRunOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    status = serializers.ChoiceField(choices=TrainingRun.Status.choices)
    stage = serializers.CharField()
    progress = serializers.FloatField(help_text="0 to 1")
    is_active = serializers.BooleanField()
    strategy = serializers.CharField()
    hyperparameters = serializers.DictField()
    snapshot = serializers.IntegerField(source="snapshot_id")
    primary_metric = serializers.SerializerMethodField()
    metric_names = serializers.SerializerMethodField()
    epochs = TrainingRunEpochOutput(many=True)
    best_epoch = serializers.IntegerField(allow_null=True)
    test_metrics = serializers.DictField()
    baseline_metrics = serializers.DictField(help_text="the serving model on the same test split")
    gate = serializers.DictField(
        help_text="the promotion decision: metric, new, current, against, promoted, why; interval (paired bootstrap "
        "95% interval of the improvement) and golden (the golden-set regression check), each with its numbers"
    )
    version = serializers.SerializerMethodField()
    phases = serializers.SerializerMethodField(help_text="name, state (done, current, pending), seconds, estimate_seconds")
    error = serializers.CharField()
    cancel_requested = serializers.BooleanField()
    restarted_from = serializers.IntegerField(source="restarted_from_id", allow_null=True)
    worker = serializers.CharField()
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)

    def get_primary_metric(self, run) -> str | None:
        return _kind_metrics(run.kind, run.gate)[0]

    def get_metric_names(self, run) -> list[str]:
        return _kind_metrics(run.kind, run.gate)[1]

    def get_phases(self, run) -> list[dict]:
        return selectors.run_phases(run=run)

    def get_version(self, run) -> int | None:
        try:
            return run.version.number
        except ModelVersion.DoesNotExist:
            return None


class DatasetSnapshotOutput(serializers.Serializer):
    id = serializers.IntegerField()
    size = serializers.IntegerField()
    split_counts = serializers.DictField(child=serializers.IntegerField())
    label_counts = serializers.DictField(child=serializers.IntegerField())
    seed = serializers.IntegerField()
    content_hash = serializers.CharField()
    origin = serializers.CharField()
    created_at = serializers.DateTimeField()


class AliasMoveOutput(serializers.Serializer):
    kind = serializers.CharField()
    alias = serializers.CharField()
    from_version = serializers.IntegerField(source="from_version.number", allow_null=True)
    to_version = serializers.IntegerField(source="to_version.number", allow_null=True, help_text="null: the untrained default")
    reason = serializers.CharField()
    note = serializers.CharField()
    forced = serializers.BooleanField(help_text="promoted although it scored below what it replaced")
    moved_by = serializers.CharField(source="moved_by.username", allow_null=True)
    moved_at = serializers.DateTimeField()


class ModelAliasOutput(serializers.Serializer):
    name = serializers.CharField()
    version = serializers.IntegerField(source="version.number")
    updated_at = serializers.DateTimeField()


class ModelKindOutput(serializers.Serializer):
    name = serializers.CharField()
    task_type = serializers.CharField()
    metric = serializers.CharField(help_text="the test metric the promotion gate compares")
    description = serializers.CharField()
    production = ModelVersionOutput(allow_null=True)
    candidate = ModelVersionOutput(allow_null=True)
    latest_run = TrainingRunOutput(allow_null=True)
    version_count = serializers.IntegerField(source="versions")
    snapshot_count = serializers.IntegerField(source="snapshots")


class ModelKindDetailOutput(ModelKindOutput):
    labels = serializers.ListField(child=serializers.CharField())
    default_strategy = serializers.CharField()
    versions = ModelVersionOutput(many=True, source="version_rows")
    aliases = ModelAliasOutput(many=True)
    alias_moves = AliasMoveOutput(many=True)
    snapshots = DatasetSnapshotOutput(many=True, source="snapshot_rows")


def _kind_row(name: str) -> dict:
    return next(row for row in selectors.kind_overview() if row["name"] == name)


# --- kinds ----------------------------------------------------------------------------------


class KindListApi(APIView):
    permission_classes = [access.IsStaff]

    @extend_schema(responses={200: ModelKindOutput(many=True)}, operation_id="ml_kinds_list")
    def get(self, request):
        return Response(ModelKindOutput(selectors.kind_overview(), many=True).data)


class KindDetailApi(APIView):
    permission_classes = [access.IsStaff]

    @extend_schema(responses={200: ModelKindDetailOutput}, operation_id="ml_kinds_retrieve")
    def get(self, request, kind: str):
        model_kind = kind_or_404(kind)
        row = {
            **_kind_row(model_kind.name),
            "labels": list(model_kind.labels),
            "default_strategy": model_kind.default_strategy,
            "version_rows": selectors.version_list(kind=model_kind.name).prefetch_related("aliases"),
            "aliases": selectors.alias_list(kind=model_kind.name),
            "alias_moves": selectors.alias_history(kind=model_kind.name)[:50],
            "snapshot_rows": selectors.snapshot_list(kind=model_kind.name)[:50],
        }
        return Response(ModelKindDetailOutput(row).data)


class KindPromoteApi(APIView):
    permission_classes = [access.IsStaff]

    class VersionPromoteInput(serializers.Serializer):
        version = serializers.CharField(max_length=20, help_text="a version number, or 'default' (the untrained default)")
        note = serializers.CharField(required=False, allow_blank=True, default="")
        force = serializers.BooleanField(
            required=False, default=False, help_text="confirm a version that scored below what serves (needs a reason)"
        )
        reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)

    @extend_schema(request=VersionPromoteInput, responses={200: AliasMoveOutput}, operation_id="ml_kinds_promote")
    def post(self, request, kind: str):
        model_kind = kind_or_404(kind)
        data = self.VersionPromoteInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        move = services.version_promote(
            kind=model_kind.name, target=v["version"], user=request.user, note=v["note"], force=v["force"], reason=v["reason"]
        )
        return Response(AliasMoveOutput(move).data)


class KindRollbackApi(APIView):
    permission_classes = [access.IsStaff]

    class RollbackInput(serializers.Serializer):
        version = serializers.CharField(
            required=False, allow_blank=True, default="", max_length=20,
            help_text="left out: what served before; or a version that served earlier, or 'default'",
        )

    @extend_schema(request=RollbackInput, responses={200: AliasMoveOutput}, operation_id="ml_kinds_rollback")
    def post(self, request, kind: str):
        model_kind = kind_or_404(kind)
        data = self.RollbackInput(data=request.data)
        data.is_valid(raise_exception=True)
        move = services.version_rollback(kind=model_kind.name, user=request.user, target=data.validated_data["version"] or None)
        return Response(AliasMoveOutput(move).data)


# --- runs -----------------------------------------------------------------------------------


class RunListApi(GenericAPIView):
    permission_classes = [access.IsStaff]
    serializer_class = TrainingRunOutput

    class TrainingRunStartInput(serializers.Serializer):
        kind = serializers.CharField()
        strategy = serializers.ChoiceField(choices=engine.STRATEGIES, required=False, help_text="the kind default if left out")
        snapshot = serializers.PrimaryKeyRelatedField(
            queryset=DatasetSnapshot.objects.all(), required=False, allow_null=True, help_text="the latest when left out"
        )
        hyperparameters = serializers.DictField(required=False, default=dict, help_text="left out: the strategy's defaults")

        def validate_kind(self, value):
            try:
                return K.get_kind(value).name
            except K.UnknownKind as exc:
                raise serializers.ValidationError(str(exc)) from None

    @extend_schema(
        parameters=[OpenApiParameter("kind", OpenApiTypes.STR, description="only runs of this kind")],
        responses={200: TrainingRunOutput(many=True)},
        operation_id="ml_runs_list",
    )
    def get(self, request):
        page = self.paginate_queryset(selectors.run_list(kind=request.query_params.get("kind") or None))
        return self.get_paginated_response(TrainingRunOutput(page, many=True).data)

    @extend_schema(request=TrainingRunStartInput, responses={201: TrainingRunOutput}, operation_id="ml_runs_create")
    def post(self, request):
        data = self.TrainingRunStartInput(data=request.data)
        data.is_valid(raise_exception=True)
        run = services.training_run_start(**data.validated_data, user=request.user)
        return Response(TrainingRunOutput(run).data, status=status.HTTP_201_CREATED)


class RunDetailApi(APIView):
    permission_classes = [access.IsStaff]

    @extend_schema(responses={200: TrainingRunOutput}, operation_id="ml_runs_retrieve")
    def get(self, request, pk: int):
        return Response(TrainingRunOutput(run_or_404(pk)).data)


class RunCancelApi(APIView):
    permission_classes = [access.IsStaff]

    @extend_schema(request=None, responses={200: TrainingRunOutput}, operation_id="ml_runs_cancel")
    def post(self, request, pk: int):
        return Response(TrainingRunOutput(services.training_run_cancel(run=run_or_404(pk))).data)


class RunRestartApi(APIView):
    permission_classes = [access.IsStaff]

    @extend_schema(request=None, responses={201: TrainingRunOutput}, operation_id="ml_runs_restart")
    def post(self, request, pk: int):
        run = services.training_run_restart(run=run_or_404(pk), user=request.user)
        return Response(TrainingRunOutput(run).data, status=status.HTTP_201_CREATED)
