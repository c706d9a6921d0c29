"""Writes of the careers app: resumes and profiles, matching and feedback, reference data imports."""
from resumes.services.matching import (  # noqa: F401
    job_index, job_index_build, match_feedback_record, recommendations_build, recommend_for_profile,
)
from resumes.services.reference import (  # noqa: F401
    import_aijobs, import_bls, import_esco, import_jobs_generic, import_jobs_nyc, import_onet, postings_link,
)
from resumes.services.resumes import (  # noqa: F401
    parse_text, profile_update, resume_delete, resume_parse, resume_retry, resume_upload,
)
