"""The careers API: resumes, profiles, recommendations with reasons, insights, feedback, staff match review."""
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from resumes import selectors, services
from resumes.models import Recommendation, Resume
from resumes.services.matching import insights, profile_dict
from suite import access
from suite import roles as R

CANDIDATE = [IsAuthenticated, access.HasRole(R.CANDIDATE)]


class ResumeOutput(serializers.ModelSerializer):
    class Meta:
        model = Resume
        fields = ["id", "filename", "file_type", "status", "failure_code", "failure_reason", "created_at", "parsed_at"]


class RecommendationOutput(serializers.ModelSerializer):
    job_id = serializers.IntegerField()
    title = serializers.CharField(source="job.title")
    employer = serializers.CharField(source="job.employer")
    location = serializers.CharField(source="job.location")
    output = serializers.IntegerField(source="output_id", allow_null=True)

    class Meta:
        model = Recommendation
        fields = ["id", "rank", "job_id", "title", "employer", "location", "score", "components", "matched_skills",
                  "missing_skills", "salary", "why", "output"]


def resume_out(resume: Resume) -> dict:
    data = ResumeOutput(resume).data
    if resume.status == Resume.Status.DONE:
        data["parse_result"] = resume.parse_result
        data["profile"] = profile_dict(resume.profile) if hasattr(resume, "profile") else None
    return data


class ResumeListApi(APIView):
    permission_classes = CANDIDATE
    parser_classes = [MultiPartParser, FormParser]

    class UploadInput(serializers.Serializer):
        file = serializers.FileField(allow_empty_file=True)

    @extend_schema(responses=ResumeOutput(many=True), operation_id="resumes_list")
    def get(self, request):
        return Response([ResumeOutput(r).data for r in selectors.resume_list(user=request.user)])

    @extend_schema(request=UploadInput, responses={201: ResumeOutput}, operation_id="resumes_upload")
    def post(self, request):
        data = self.UploadInput(data=request.data)
        data.is_valid(raise_exception=True)
        resume = services.resume_upload(user=request.user, file=data.validated_data["file"])
        return Response(resume_out(resume), status=status.HTTP_201_CREATED)


class ResumeDetailApi(APIView):
    permission_classes = CANDIDATE

    @extend_schema(responses=ResumeOutput, operation_id="resumes_detail")
    def get(self, request, pk):
        return Response(resume_out(selectors.resume_get(user=request.user, pk=pk)))

    @extend_schema(responses={204: OpenApiResponse(description="deleted with everything derived")}, operation_id="resumes_delete")
    def delete(self, request, pk):
        services.resume_delete(resume=selectors.resume_get(user=request.user, pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ResumeRetryApi(APIView):
    permission_classes = CANDIDATE

    @extend_schema(request=None, responses=ResumeOutput, operation_id="resumes_retry")
    def post(self, request, pk):
        resume = services.resume_retry(resume=selectors.resume_get(user=request.user, pk=pk))
        return Response(resume_out(resume), status=status.HTTP_202_ACCEPTED)


class ProfileApi(APIView):
    permission_classes = CANDIDATE
    parser_classes = [JSONParser]

    class ProfileInput(serializers.Serializer):
        name = serializers.CharField(required=False, allow_blank=True, max_length=200)
        email = serializers.CharField(required=False, allow_blank=True, max_length=254)
        phone = serializers.CharField(required=False, allow_blank=True, max_length=50)
        location = serializers.CharField(required=False, allow_blank=True, max_length=200)
        current_title = serializers.CharField(required=False, allow_blank=True, max_length=200)
        skills = serializers.ListField(child=serializers.JSONField(), required=False)

    @extend_schema(responses={200: OpenApiResponse(description="the profile")}, operation_id="resumes_profile")
    def get(self, request, pk):
        resume = selectors.resume_get(user=request.user, pk=pk)
        if not hasattr(resume, "profile"):
            return Response({"error": {"code": "not_parsed", "message": "The resume has not been parsed yet.", "fields": {}}}, status=409)
        return Response(profile_dict(resume.profile))

    @extend_schema(request=ProfileInput, responses={200: OpenApiResponse(description="the corrected profile")}, operation_id="resumes_profile_update")
    def patch(self, request, pk):
        resume = selectors.resume_get(user=request.user, pk=pk)
        data = self.ProfileInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        profile = services.profile_update(resume=resume, user=request.user, data=data.validated_data)
        return Response(profile_dict(profile))


class RecommendationListApi(APIView):
    permission_classes = CANDIDATE

    @extend_schema(responses=RecommendationOutput(many=True), operation_id="resumes_recommendations")
    def get(self, request, pk):
        resume = selectors.resume_get(user=request.user, pk=pk)
        rows = selectors.recommendation_list(resume=resume)
        return Response([{**RecommendationOutput(r).data, "your_rating": r.candidate_rating} for r in rows])


class InsightsApi(APIView):
    permission_classes = CANDIDATE

    @extend_schema(responses={200: OpenApiResponse(description="salary_guidance, trends, career_paths")}, operation_id="resumes_insights")
    def get(self, request, pk):
        resume = selectors.resume_get(user=request.user, pk=pk)
        if not hasattr(resume, "profile"):
            return Response({"error": {"code": "not_parsed", "message": "The resume has not been parsed yet.", "fields": {}}}, status=409)
        rows = selectors.recommendation_list(resume=resume)
        recs = [{"job_id": r.job_id, "salary": r.salary} for r in rows]
        return Response(insights(profile_dict(resume.profile), occupation=resume.profile.occupation, recommendations=recs))


class FeedbackApi(APIView):
    permission_classes = CANDIDATE

    class FeedbackInput(serializers.Serializer):
        relevant = serializers.BooleanField()

    @extend_schema(request=FeedbackInput, responses={201: OpenApiResponse(description="recorded")}, operation_id="resumes_feedback")
    def post(self, request, pk, rec):
        resume = selectors.resume_get(user=request.user, pk=pk)
        row = selectors.recommendation_get(resume=resume, pk=rec)
        data = self.FeedbackInput(data=request.data)
        data.is_valid(raise_exception=True)
        feedback = services.match_feedback_record(resume=resume, job=row.job, user=request.user, rating=5 if data.validated_data["relevant"] else 1)
        return Response({"job_id": row.job_id, "rating": feedback.rating}, status=status.HTTP_201_CREATED)


class MatchReviewApi(APIView):
    permission_classes = [IsAuthenticated, access.IsStaff]

    @extend_schema(responses=RecommendationOutput(many=True), operation_id="resumes_match_review")
    def get(self, request):
        return Response([{**RecommendationOutput(r).data, "resume": r.resume_id} for r in selectors.match_review_queue()])


class MatchJudgeApi(APIView):
    permission_classes = [IsAuthenticated, access.IsStaff]

    class JudgeInput(serializers.Serializer):
        rating = serializers.IntegerField(min_value=1, max_value=5)

    @extend_schema(request=JudgeInput, responses={201: OpenApiResponse(description="judged")}, operation_id="resumes_match_judge")
    def post(self, request, rec):
        row = get_object_or_404(Recommendation.objects.select_related("resume", "job"), pk=rec)
        data = self.JudgeInput(data=request.data)
        data.is_valid(raise_exception=True)
        feedback = services.match_feedback_record(resume=row.resume, job=row.job, user=request.user,
                                                  rating=data.validated_data["rating"], by_staff=True)
        return Response({"job_id": row.job_id, "rating": feedback.rating}, status=status.HTTP_201_CREATED)
