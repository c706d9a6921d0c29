"""The audit trail of personal data: staff may read the original of a personal task, and every look is recorded
under the one action name annotation.privacy writes (UNMASKED_VIEW)."""

from django.core.exceptions import PermissionDenied

from annotation import privacy
from annotation.models import AnnotationTask
from suite import access


def task_input_unmasked(*, task: AnnotationTask, user):
    """The original input of a personal task for staff, audited; anyone else is refused."""
    if not access.is_staff(user):
        raise PermissionDenied("Only staff may see the original of personal data.")
    privacy.audit_unmasked_view(user=user, what=f"{task.kind} task #{task.pk}", task=task)
    return task.input
