"""Resumes and what is derived from them (profile, skills, entities, recommendations, feedback), and the
reference data they are matched against (postings, occupations, skills, wages, salary reports)."""
import datetime

from django.conf import settings
from django.db import models

from suite import jobs

# Longer than the parsing task's hard time limit: a resume processing this long lost its worker.
STALE_AFTER = datetime.timedelta(minutes=15)


class Resume(models.Model):
    class Status(models.TextChoices):
        UPLOADED = "uploaded"
        PROCESSING = "processing"
        DONE = "done"
        FAILED = "failed"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resumes")
    file = models.FileField(upload_to="resumes/%Y/%m/", blank=True)
    filename = models.CharField(max_length=255)
    file_type = models.CharField(max_length=10, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UPLOADED, db_index=True)
    failure_code = models.CharField(max_length=40, blank=True)
    failure_reason = models.TextField(blank=True)
    text = models.TextField(blank=True)
    parse_result = models.JSONField(default=dict, blank=True, help_text="what parse_resume --json prints")
    created_at = models.DateTimeField(auto_now_add=True)
    parsed_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="when a worker took it to parse")
    claimed_by = models.CharField(max_length=255, blank=True, help_text="the worker parsing it (Celery node name)")
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="times a worker took it since upload or retry")
    queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.filename} ({self.status})"

    @property
    def is_stale(self) -> bool:
        """Processing for longer than a task may run: its worker died."""
        return RESUMES.is_stale(self)


RESUMES = jobs.register(jobs.Lifecycle(
    Resume, task="resumes.tasks.resume_parse", queued=Resume.Status.UPLOADED, running=Resume.Status.PROCESSING,
    failed=Resume.Status.FAILED, stale_after=STALE_AFTER,
    retry_hint="Try again, or delete the resume: a file that stops the worker every time may be too large or damaged.",
))


class Profile(models.Model):
    """The parsed profile, as the candidate last corrected it."""

    resume = models.OneToOneField(Resume, on_delete=models.CASCADE, related_name="profile")
    name = models.CharField(max_length=200, blank=True)
    email = models.CharField(max_length=254, blank=True)
    phone = models.CharField(max_length=50, blank=True)
    location = models.CharField(max_length=200, blank=True)
    links = models.JSONField(default=list, blank=True)
    headline = models.CharField(max_length=200, blank=True, help_text="the title written under the name")
    current_title = models.CharField(max_length=200, blank=True, help_text="the job held now; the occupation is matched on it")
    certifications = models.JSONField(default=list, blank=True)
    education = models.JSONField(default=list, blank=True)
    experience = models.JSONField(default=list, blank=True)
    total_experience_months = models.PositiveIntegerField(default=0)
    occupation = models.ForeignKey("Occupation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    edited = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)


class ProfileSkill(models.Model):
    class Kind(models.TextChoices):
        TECH = "tech"
        JOB = "job", "job-specific"
        SOFT = "soft"

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="skills")
    name = models.CharField(max_length=200)
    normalized = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["profile", "normalized"], name="resumes_skill_once_per_profile")]


class ResumeEntity(models.Model):
    resume = models.ForeignKey(Resume, on_delete=models.CASCADE, related_name="entities")
    label = models.CharField(max_length=40)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.CharField(max_length=500)
    score = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["start", "id"]


# --- reference data ---------------------------------------------------------------------------


class Occupation(models.Model):
    code = models.CharField(max_length=12, unique=True, help_text="O*NET-SOC code, e.g. 15-2051.00")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    job_zone = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["code"]

    @property
    def soc(self) -> str:
        return self.code[:7]

    def __str__(self):
        return f"{self.title} ({self.code})"


class OccupationTitle(models.Model):
    occupation = models.ForeignKey(Occupation, on_delete=models.CASCADE, related_name="titles")
    title = models.CharField(max_length=250)
    normalized = models.CharField(max_length=250, db_index=True)


class Skill(models.Model):
    name = models.CharField(max_length=250)
    normalized = models.CharField(max_length=250)
    kind = models.CharField(max_length=10, choices=ProfileSkill.Kind.choices)
    source = models.CharField(max_length=20, help_text="onet, esco")
    hot = models.BooleanField(default=False, help_text='O*NET "Hot Technology"')
    in_demand = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["normalized"], name="resumes_skill_unique_name")]


class TechnologySkill(models.Model):
    occupation = models.ForeignKey(Occupation, on_delete=models.CASCADE, related_name="technology_skills")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="occupations")
    commodity = models.CharField(max_length=200, blank=True)
    hot = models.BooleanField(default=False)
    in_demand = models.BooleanField(default=False)


class Wage(models.Model):
    """BLS OEWS annual wage percentiles for one SOC code and year."""

    soc = models.CharField(max_length=7, db_index=True)
    title = models.CharField(max_length=250)
    year = models.PositiveSmallIntegerField()
    employment = models.PositiveIntegerField(null=True, blank=True)
    mean = models.FloatField(null=True, blank=True)
    p10 = models.FloatField(null=True, blank=True)
    p25 = models.FloatField(null=True, blank=True)
    p50 = models.FloatField(null=True, blank=True)
    p75 = models.FloatField(null=True, blank=True)
    p90 = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["soc", "year"], name="resumes_wage_once_per_year")]


class SalaryReport(models.Model):
    """One aijobs.net salary report (yearly, in USD)."""

    year = models.PositiveSmallIntegerField()
    experience_level = models.CharField(max_length=2, help_text="EN, MI, SE, EX")
    employment_type = models.CharField(max_length=2, blank=True)
    title = models.CharField(max_length=200, db_index=True)
    salary_usd = models.PositiveIntegerField()
    residence = models.CharField(max_length=2, blank=True)
    remote_ratio = models.PositiveSmallIntegerField(default=0)
    company_size = models.CharField(max_length=1, blank=True)


class JobPosting(models.Model):
    source = models.CharField(max_length=40)
    external_id = models.CharField(max_length=100)
    title = models.CharField(max_length=300)
    employer = models.CharField(max_length=300, blank=True)
    location = models.CharField(max_length=300, blank=True)
    category = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    qualifications = models.TextField(blank=True)
    preferred_skills = models.TextField(blank=True)
    salary_from = models.FloatField(null=True, blank=True)
    salary_to = models.FloatField(null=True, blank=True)
    salary_frequency = models.CharField(max_length=20, blank=True)
    salary_currency = models.CharField(max_length=3, default="USD")
    yearly_min = models.FloatField(null=True, blank=True, help_text="posted salary normalised to yearly USD")
    yearly_max = models.FloatField(null=True, blank=True)
    posted_at = models.DateField(null=True, blank=True, db_index=True)
    seniority = models.PositiveSmallIntegerField(default=2, help_text="1 entry .. 4 executive, from the title")
    skills = models.JSONField(default=list, blank=True, help_text="normalised skill names found in the posting")
    occupation = models.ForeignKey(Occupation, null=True, blank=True, on_delete=models.SET_NULL, related_name="postings")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["source", "external_id"], name="resumes_posting_once_per_source")]

    def __str__(self):
        return f"{self.title} ({self.employer})"

    @property
    def text(self) -> str:
        """What the encoder and the ranker read of a posting."""
        return f"{self.title}. {self.category}. {self.preferred_skills} {self.qualifications} {self.description}"[:2000]


# --- recommendations and feedback ------------------------------------------------------------


class Recommendation(models.Model):
    resume = models.ForeignKey(Resume, on_delete=models.CASCADE, related_name="recommendations")
    job = models.ForeignKey(JobPosting, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveIntegerField()
    score = models.FloatField()
    components = models.JSONField(default=dict, help_text="similarity, skill overlap, experience fit, location, ranker")
    matched_skills = models.JSONField(default=list)
    missing_skills = models.JSONField(default=list)
    salary = models.JSONField(default=dict)
    why = models.TextField()
    output = models.ForeignKey("ml.ModelOutput", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["rank"]
        constraints = [models.UniqueConstraint(fields=["resume", "job"], name="resumes_recommend_job_once")]


class MatchFeedback(models.Model):
    """A candidate's relevant / not relevant, or a staff member's 1-5 judgement, of one job for one resume."""

    resume = models.ForeignKey(Resume, on_delete=models.CASCADE, related_name="feedback")
    job = models.ForeignKey(JobPosting, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField(help_text="1 (not relevant) .. 5 (exactly right)")
    by_staff = models.BooleanField(default=False)
    task = models.ForeignKey("annotation.AnnotationTask", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["resume", "job", "user"], name="resumes_feedback_once_per_person")]
