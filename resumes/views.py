from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from resumes import selectors, services
from resumes.forms import JudgeForm, ProfileForm, UploadForm
from resumes.models import Recommendation, Resume
from resumes.services.matching import insights, profile_dict
from suite import access, charts
from suite import roles as R
from suite.forms import add_service_errors

candidate_only = access.role_required(R.CANDIDATE)


@candidate_only
def index(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            resume = services.resume_upload(user=request.user, file=form.cleaned_data["file"])
        except ValidationError as exc:  # too large: refused before anything was stored
            add_service_errors(form, exc)
        else:
            if resume.status == Resume.Status.FAILED:
                messages.error(request, f"{resume.filename}: {resume.failure_reason}")
            return redirect("resumes:detail", pk=resume.pk)
    return render(request, "resumes/index.html", {"form": form, "resumes": selectors.resume_list(user=request.user)})


@candidate_only
def detail(request, pk):
    resume = selectors.resume_get(user=request.user, pk=pk)
    context = {"resume": resume, "polling": resume.status in (Resume.Status.UPLOADED, Resume.Status.PROCESSING) and not resume.is_stale}
    if resume.status == Resume.Status.DONE and hasattr(resume, "profile"):
        profile = resume.profile
        form = ProfileForm(request.POST or None, initial={
            "name": profile.name, "email": profile.email, "phone": profile.phone, "location": profile.location,
            "current_title": profile.current_title,
            "skills": "\n".join(s.name for s in profile.skills.all()),
        })
        if request.method == "POST" and form.is_valid():
            try:
                services.profile_update(resume=resume, user=request.user, data=form.cleaned_data)
                messages.success(request, "Profile saved; your corrections will help the parser learn.")
                return redirect("resumes:detail", pk=resume.pk)
            except ValidationError as exc:
                add_service_errors(form, exc)
        rows = selectors.recommendation_list(resume=resume)
        facts = insights(profile_dict(profile), occupation=profile.occupation,
                         recommendations=[{"job_id": r.job_id, "salary": r.salary} for r in rows])
        trends = facts["trends"]
        groups = {}
        for skill in profile.skills.all():
            groups.setdefault(skill.kind, []).append(skill.name)
        labels = {"tech": "Tech tools", "job": "Job-specific", "soft": "Soft skills"}
        context.update({
            "profile": profile, "form": form, "recommendations": rows, **facts,
            "skill_groups": [(labels[kind], groups[kind]) for kind in ("tech", "job", "soft") if kind in groups],
            "trend_chart": charts.bar_chart(
                [(f"{t['skill']}{' ★' if t['hot'] else ''}", [("", t["share"], "hot" if t["hot"] else "")])
                 for t in trends["skills"]],
                scale_max=1, percent=True, bar_height=18, group_gap=6, top=6,
            ),
        })
    return render(request, "resumes/detail.html", context)


@candidate_only
def recommendation(request, pk, rec):
    resume = selectors.resume_get(user=request.user, pk=pk)
    row = selectors.recommendation_get(resume=resume, pk=rec)
    guidance = selectors.salary_guidance(title=row.job.title, occupation=row.job.occupation)
    return render(request, "resumes/recommendation.html", {"resume": resume, "rec": row, "job": row.job, "guidance": guidance})


@candidate_only
@require_POST
def feedback(request, pk, rec):
    resume = selectors.resume_get(user=request.user, pk=pk)
    row = selectors.recommendation_get(resume=resume, pk=rec)
    relevant = request.POST.get("relevant") == "yes"
    services.match_feedback_record(resume=resume, job=row.job, user=request.user, rating=5 if relevant else 1)
    messages.success(request, f"Noted: {row.job.title} is {'relevant' if relevant else 'not relevant'} to you.")
    return redirect("resumes:detail", pk=resume.pk)


@candidate_only
@require_POST
def delete(request, pk):
    resume = selectors.resume_get(user=request.user, pk=pk)
    services.resume_delete(resume=resume)
    messages.success(request, f"{resume.filename} and everything derived from it were deleted.")
    return redirect("resumes:index")


@candidate_only
@require_POST
def retry(request, pk):
    resume = selectors.resume_get(user=request.user, pk=pk)
    try:
        services.resume_retry(resume=resume)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("resumes:detail", pk=resume.pk)


@access.staff_required
def review(request):
    if request.method == "POST":
        row = get_object_or_404(Recommendation.objects.select_related("resume", "job"), pk=request.POST.get("recommendation"))
        form = JudgeForm(request.POST)
        if form.is_valid():
            services.match_feedback_record(resume=row.resume, job=row.job, user=request.user,
                                           rating=form.cleaned_data["rating"], by_staff=True)
            messages.success(request, f"Judged {row.job.title}: {form.cleaned_data['rating']}/5.")
        return redirect("resumes:review")
    return render(request, "resumes/review.html", {"rows": selectors.match_review_queue()})
