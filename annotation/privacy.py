"""Personal data shown to anyone but its owner: one place that masks it and one that audits the originals.

Every page, API answer or export that shows a person's text to somebody else (annotation tasks and their
reviews, exports, the staff inbox) goes through `shown_to`/`mask_value`; every time staff ask for the
original, `audit_unmasked_view` writes one `AuditEntry` with the action `UNMASKED_VIEW`.
"""
from __future__ import annotations

from collections.abc import Iterable

from annotation.masking import mask_many, mask_many_keeping_offsets

# The one action name of an audited look at unmasked personal data (tasks, conversations, resumes).
UNMASKED_VIEW = "personal.view_unmasked"
# Names used before there was one; kept so audit queries still find the old entries.
LEGACY_UNMASKED_VIEWS = ("view_unmasked", "chatbot.conversation.unmask")


def owner_names(user) -> list[str]:
    """The names a person is known by, masked wherever they appear even without a cue word."""
    if user is None:
        return []
    return [n for n in (user.first_name, user.last_name, user.get_full_name(), user.username) if n and n.strip()]


def _strings(value, found: list[str]) -> None:
    if isinstance(value, str):
        found.append(value)
    elif isinstance(value, dict):
        for item in value.values():
            _strings(item, found)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _strings(item, found)


def _rebuild(value, masked: Iterable[str]):
    if isinstance(value, str):
        return next(masked)
    if isinstance(value, dict):
        return {key: _rebuild(item, masked) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_rebuild(item, masked) for item in value]
    return value  # numbers, booleans, None: no text to hide


def mask_value(value, *, known_names: Iterable[str] = (), keep_offsets: bool = False):
    """`value` (text, or dicts and lists of it at any depth) with every identifier replaced by a placeholder.

    One numbering for the whole value, so [NAME_2] is the same person in a prompt and in its options.
    `keep_offsets`: each identifier becomes a stand-in of its own length, so character offsets (spans
    an annotator marks) still point at the same places in the original.
    """
    texts: list[str] = []
    _strings(value, texts)
    if not texts:
        return value
    masker = mask_many_keeping_offsets if keep_offsets else mask_many
    return _rebuild(value, iter(masker(texts, known_names=list(known_names))))


def shown_to(value, *, viewer, owner, keep_offsets: bool = False):
    """What `viewer` may read of `owner`'s personal `value`: the original for the owner, masked for anyone else."""
    if owner is not None and viewer is not None and getattr(viewer, "pk", None) == owner.pk:
        return value
    return mask_value(value, known_names=owner_names(owner), keep_offsets=keep_offsets)


def audit_unmasked_view(*, user, what: str, task=None):
    """Record that `user` read the original of someone's personal data (`what` names the record)."""
    from annotation.models import AuditEntry

    return AuditEntry.objects.create(user=user, action=UNMASKED_VIEW, task=task, detail=what[:500])
