"""The summarizer over the API: upload, list, progress, result, retry, delete, feedback and downloads."""
from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from suite.links import attach
from suite import access
from suite import roles as R
from suite.api.pagination import PagePagination
from summarizer import exports, selectors, services
from summarizer.models import Document
from summarizer.pipeline.clauses import LABELS

USERS = [access.HasRole(R.LAWYER, R.RESEARCHER)]


class DocumentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    original_name = serializers.CharField()
    file_type = serializers.CharField()
    size = serializers.IntegerField()
    status = serializers.CharField(help_text="uploaded, processing, done or failed")
    stage = serializers.CharField()
    progress = serializers.FloatField(help_text="0 to 1")
    failure_code = serializers.CharField(help_text="unsupported, too_large, corrupt, encrypted, no_text_layer, no_text, empty, error")
    failure_reason = serializers.CharField()
    requested_type = serializers.CharField()
    requested_sentences = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    doc_type = serializers.CharField()
    pages = serializers.IntegerField(source="page_count")
    model_versions = serializers.DictField()
    seconds = serializers.FloatField(allow_null=True)
    created_at = serializers.DateTimeField()
    processed_at = serializers.DateTimeField(allow_null=True)


class DocumentDetailOutput(DocumentOutput):
    result = serializers.DictField(help_text="answers, summary, tldr, structured, key_terms (status yes or possible), risks, headings, "
                                             "unreadable_pages: each with page, start and end; what a person set or flagged carries set_by or flag")


class DocumentUploadInput(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)
    doc_type = serializers.ChoiceField(choices=Document.DocType.values, default="auto")
    sentences = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=services.MAX_SENTENCES)


class DocumentListApi(GenericAPIView):
    permission_classes = USERS
    pagination_class = PagePagination
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    serializer_class = DocumentOutput

    @extend_schema(operation_id="summarizer_documents_list", responses=DocumentOutput(many=True))
    def get(self, request):
        page = self.paginate_queryset(selectors.document_list(user=request.user))
        return self.get_paginated_response(DocumentOutput(page, many=True).data)

    @extend_schema(request={"multipart/form-data": DocumentUploadInput}, responses={201: DocumentOutput})
    def post(self, request):
        data = DocumentUploadInput(data=request.data)
        data.is_valid(raise_exception=True)
        document = services.document_upload(user=request.user, file=data.validated_data["file"], doc_type=data.validated_data["doc_type"],
                                            sentences=data.validated_data.get("sentences"))
        return Response(DocumentOutput(document).data, status=status.HTTP_201_CREATED)


class DocumentDetailApi(APIView):
    permission_classes = USERS

    @extend_schema(responses=DocumentDetailOutput)
    def get(self, request, pk: int):
        return Response(DocumentDetailOutput(selectors.document_get(user=request.user, pk=pk)).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        services.document_delete(document=selectors.document_get(user=request.user, pk=pk), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DocumentProgressOutput(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    stage = serializers.CharField()
    progress = serializers.FloatField()
    failure_code = serializers.CharField()
    failure_reason = serializers.CharField()


class DocumentProgressApi(APIView):
    permission_classes = USERS

    @extend_schema(responses=DocumentProgressOutput)
    def get(self, request, pk: int):
        return Response(selectors.document_progress(document=selectors.document_get(user=request.user, pk=pk)))


class DocumentRetryInput(serializers.Serializer):
    doc_type = serializers.ChoiceField(choices=Document.DocType.values, required=False)
    sentences = serializers.IntegerField(required=False, min_value=1, max_value=services.MAX_SENTENCES)


class DocumentRetryApi(APIView):
    permission_classes = USERS

    @extend_schema(request=DocumentRetryInput, responses=DocumentOutput)
    def post(self, request, pk: int):
        data = DocumentRetryInput(data=request.data)
        data.is_valid(raise_exception=True)
        document = services.document_retry(document=selectors.document_get(user=request.user, pk=pk), user=request.user, **data.validated_data)
        return Response(DocumentOutput(document).data)


class DocumentFlagInput(serializers.Serializer):
    output = serializers.IntegerField(help_text="an output id from the result: summary_output, doctype_output or a key term's output")
    reason = serializers.ChoiceField(choices=["wrong", "unsafe", "incomplete", "other"])
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    answer = serializers.CharField(required=False, allow_blank=True, default="", max_length=500, help_text="the correct answer, if you know it")


class DocumentFlagOutput(serializers.Serializer):
    id = serializers.IntegerField()
    task = serializers.IntegerField(source="task_id")
    reason = serializers.CharField()


class DocumentFlagApi(APIView):
    permission_classes = USERS

    @extend_schema(request=DocumentFlagInput, responses={201: DocumentFlagOutput})
    def post(self, request, pk: int):
        data = DocumentFlagInput(data=request.data)
        data.is_valid(raise_exception=True)
        document = selectors.document_get(user=request.user, pk=pk)
        flag = services.output_flag(document=document, user=request.user, output_id=data.validated_data["output"],
                                    reason=data.validated_data["reason"], comment=data.validated_data["comment"],
                                    answer=data.validated_data["answer"])
        return Response(DocumentFlagOutput(flag).data, status=status.HTTP_201_CREATED)


class SummaryCorrectionInput(serializers.Serializer):
    selected = serializers.ListField(child=serializers.IntegerField(min_value=0), help_text="indices into the summary's candidate sentences")
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class DocumentSummaryCorrectApi(APIView):
    permission_classes = USERS

    @extend_schema(request=SummaryCorrectionInput, responses={201: DocumentFlagOutput})
    def post(self, request, pk: int):
        data = SummaryCorrectionInput(data=request.data)
        data.is_valid(raise_exception=True)
        flag = services.summary_correct(document=selectors.document_get(user=request.user, pk=pk), user=request.user, **data.validated_data)
        return Response(DocumentFlagOutput(flag).data, status=status.HTTP_201_CREATED)


class DocumentPreferenceInput(serializers.Serializer):
    options = serializers.ListField(child=serializers.ListField(child=serializers.IntegerField(min_value=0)), min_length=2, max_length=2,
                                    help_text="two summaries, each a list of indices into the summary's candidate sentences")
    chosen = serializers.IntegerField(min_value=0, max_value=1)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class DocumentPreferenceApi(APIView):
    permission_classes = USERS

    @extend_schema(request=DocumentPreferenceInput, responses={201: DocumentFlagOutput})
    def post(self, request, pk: int):
        data = DocumentPreferenceInput(data=request.data)
        data.is_valid(raise_exception=True)
        flag = services.summary_prefer(document=selectors.document_get(user=request.user, pk=pk), user=request.user, **data.validated_data)
        return Response(DocumentFlagOutput(flag).data, status=status.HTTP_201_CREATED)


class DocumentKeyTermInput(serializers.Serializer):
    start = serializers.IntegerField(min_value=0)
    end = serializers.IntegerField(min_value=1)
    category = serializers.ChoiceField(choices=LABELS)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    answer = serializers.CharField(required=False, allow_blank=True, default="", max_length=500, help_text="the term's answer, as you read it")


class DocumentKeyTermApi(APIView):
    permission_classes = USERS

    @extend_schema(request=DocumentKeyTermInput, responses={201: DocumentFlagOutput})
    def post(self, request, pk: int):
        data = DocumentKeyTermInput(data=request.data)
        data.is_valid(raise_exception=True)
        flag = services.key_term_correct(document=selectors.document_get(user=request.user, pk=pk), user=request.user, **data.validated_data)
        return Response(DocumentFlagOutput(flag).data, status=status.HTTP_201_CREATED)


def download_response(document: Document, fmt: str) -> HttpResponse:
    stem = document.original_name.rsplit(".", 1)[0] or "summary"
    if fmt == "pdf":
        response = HttpResponse(exports.summary_pdf(document), content_type="application/pdf")
        attach(response, f"{stem}-summary.pdf")
    else:
        response = HttpResponse(selectors.summary_markdown(document=document), content_type="text/markdown; charset=utf-8")
        attach(response, f"{stem}-summary.md")
    return response


class DocumentDownloadApi(APIView):
    permission_classes = USERS

    @extend_schema(responses={(200, "text/markdown"): bytes, (200, "application/pdf"): bytes})
    def get(self, request, pk: int, fmt: str):
        document = selectors.document_get(user=request.user, pk=pk)
        if fmt not in ("md", "pdf"):
            raise NotFound("Downloads are summary.md or summary.pdf.")
        if document.status != Document.Status.DONE:
            raise serializers.ValidationError({"document": [f"{document.original_name} has no summary yet ({document.status})."]})
        return download_response(document, fmt)
