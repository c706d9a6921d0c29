"""The audit trail: who did what to which task (unmasked looks at personal data go through annotation.privacy)."""

from annotation.models import AnnotationTask, AuditEntry


def audit_record(*, user, action: str, task: AnnotationTask | None = None, detail: str = "") -> AuditEntry:
    return AuditEntry.objects.create(user=user, action=action, task=task, detail=detail[:500])
