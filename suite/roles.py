"""The roles FineLoop knows, as Django groups, and what each role may do."""
from dataclasses import dataclass

LAWYER = "lawyer"
RESEARCHER = "researcher"
PATIENT = "patient"
CANDIDATE = "candidate"
ANNOTATOR = "annotator"
REVIEWER = "reviewer"

# Anyone may sign up with one of these; the staff roles are granted by an admin.
PUBLIC_ROLES = (LAWYER, RESEARCHER, PATIENT, CANDIDATE)
STAFF_ROLES = (ANNOTATOR, REVIEWER)
ALL_ROLES = PUBLIC_ROLES + STAFF_ROLES

ROLE_LABELS = {
    LAWYER: "Lawyer",
    RESEARCHER: "Researcher",
    PATIENT: "Patient",
    CANDIDATE: "Job candidate",
    ANNOTATOR: "Annotator",
    REVIEWER: "Reviewer",
}


@dataclass(frozen=True)
class Area:
    """One part of FineLoop shown on the home page and in the navigation."""

    key: str
    title: str
    url_name: str
    description: str
    roles: tuple[str, ...]


AREAS = (
    Area(
        "documents",
        "Documents",
        "summarizer:index",
        "Upload contracts and papers; get cited summaries, contract key terms and risk flags.",
        (LAWYER, RESEARCHER),
    ),
    Area(
        "health",
        "Health assistant",
        "chatbot:index",
        "Ask health questions answered from sources, check symptoms and book appointments.",
        (PATIENT,),
    ),
    Area(
        "careers",
        "Careers",
        "resumes:index",
        "Upload a resume; get a parsed profile, job recommendations, salary guidance and trends.",
        (CANDIDATE,),
    ),
    Area(
        "annotation",
        "Annotation",
        "annotation:index",
        "Correct what the models got wrong, review corrections and freeze training data.",
        (ANNOTATOR, REVIEWER),
    ),
    Area(
        "models",
        "Models",
        "ml:index",
        "Model versions, training runs, promotion and rollback.",
        (),
    ),
)
