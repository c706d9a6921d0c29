"""Imports and exports over the API: upload a file in a registered format, queue an export job, download its file."""
from pathlib import Path

from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from annotation import selectors
from annotation.services import exports, imports
from annotation.formats import EXPORTERS, IMPORTERS
from annotation.models import ExportJob
from suite import access
from suite.api.errors import error_body


class ExportJobOutput(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = ["id", "kind", "format", "scope", "options", "filters", "status", "rows", "size_bytes", "error",
                  "created_at", "started_at", "finished_at", "download_url"]

    def get_download_url(self, job) -> str | None:
        if job.status != ExportJob.Status.SUCCEEDED:
            return None
        return reverse("annotation-api:export-download", args=[job.pk])


class ExportCreateApi(APIView):
    permission_classes = [access.HasRole("reviewer")]

    class ExportCreateInput(serializers.Serializer):
        kind = serializers.CharField(max_length=100)
        format = serializers.CharField(max_length=50, help_text=f"one of: {', '.join(sorted(EXPORTERS))}")
        scope = serializers.ChoiceField(choices=ExportJob.Scope.choices, default=ExportJob.Scope.ACCEPTED)
        options = serializers.DictField(required=False, default=dict, help_text="format options, e.g. {'style': 'prompt_completion'} for sft")
        filters = serializers.DictField(required=False, default=dict, help_text=(
            "which rows: status (review state or list: open, in_review, accepted, rejected), annotator (username, or "
            "the outside tool's annotator), since / until (YYYY-MM-DD, the day an answer was accepted, else the item "
            "was created), label"))

    @extend_schema(request=ExportCreateInput, responses={202: ExportJobOutput}, operation_id="annotation_export_create")
    def post(self, request):
        data = self.ExportCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        job = exports.export_job_create(user=request.user, **data.validated_data)
        return Response(ExportJobOutput(job).data, status=status.HTTP_202_ACCEPTED)


class ExportDetailApi(APIView):
    permission_classes = [access.HasRole("reviewer")]

    @extend_schema(responses={200: ExportJobOutput}, operation_id="annotation_export_detail")
    def get(self, request, pk: int):
        return Response(ExportJobOutput(selectors.export_job_get(user=request.user, pk=pk)).data)


class ExportDownloadApi(APIView):
    permission_classes = [access.HasRole("reviewer")]

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 409: OpenApiResponse(description="the export is not ready, or failed")},
        operation_id="annotation_export_download",
    )
    def get(self, request, pk: int):
        job = selectors.export_job_get(user=request.user, pk=pk)
        if job.status != ExportJob.Status.SUCCEEDED or not job.file:
            message = f"The export is {job.status}" + (f": {job.error}" if job.error else ".")
            return Response(error_body("not_ready", message), status=status.HTTP_409_CONFLICT)
        return FileResponse(job.file.open("rb"), as_attachment=True, filename=Path(job.file.name).name)


class AnnotationImportOutput(serializers.Serializer):
    items = serializers.IntegerField()
    accepted = serializers.IntegerField()
    open = serializers.IntegerField()
    preference = serializers.IntegerField()
    skipped = serializers.IntegerField()
    project = serializers.IntegerField(allow_null=True)
    report = serializers.DictField(help_text="what was tolerated (whitespace), left out (unmapped labels, drafts) or skipped, and dry_run")


class AnnotationImportApi(APIView):
    permission_classes = [access.HasRole("reviewer")]
    parser_classes = [MultiPartParser, FormParser]

    class AnnotationImportInput(serializers.Serializer):
        file = serializers.FileField()
        format = serializers.CharField(max_length=50, help_text=f"one of: {', '.join(sorted(IMPORTERS))}")
        kind = serializers.CharField(max_length=100)
        accepted = serializers.BooleanField(default=False, help_text="labelled items become accepted training data")
        project = serializers.CharField(max_length=200, required=False, help_text="project name (default: '<kind> imports')")
        labels = serializers.CharField(required=False, allow_blank=True,
                                       help_text='label mapping: FROM=TO,... or a JSON object {"FROM": "TO"}; unmapped labels are left out and reported')
        dry_run = serializers.BooleanField(default=False, help_text="check and count only; nothing is written (answers 200)")

    @extend_schema(
        request={"multipart/form-data": AnnotationImportInput},
        responses={201: AnnotationImportOutput, 400: OpenApiResponse(description="the file was rejected; the message names the line or item")},
        operation_id="annotation_import_create",
    )
    def post(self, request):
        data = self.AnnotationImportInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        counts = imports.annotations_import_upload(
            stream=v["file"].file, format=v["format"], kind=v["kind"], accepted=v["accepted"], user=request.user,
            project=v.get("project"), labels=v.get("labels") or None, dry_run=v["dry_run"],
        )
        return Response(AnnotationImportOutput(counts).data, status=status.HTTP_200_OK if v["dry_run"] else status.HTTP_201_CREATED)
