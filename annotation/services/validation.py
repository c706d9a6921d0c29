"""Whether an answer or an imported item fits its kind: shape, labels, spans, options, ratings.

Every write that stores an answer (a flag's correction, a submission, an adjudication, an import) asks here first.
"""

from django.core.exceptions import ValidationError

from annotation.models import FeedbackType
from suite.ml import kinds as K


def _check_result(kind: K.ModelKind, task_input, result, *, feedback_type: str | None = None) -> None:
    """Refuse an answer that does not fit the kind (or, for preference items, the options offered)."""
    if feedback_type == FeedbackType.PREFERENCE:
        problem = _preference_problem(task_input, {"result": result})
    else:
        problem = _rating_problem(feedback_type, result) or _answer_problem(kind, task_input, result)
    if problem:
        raise ValidationError({"result": [problem]})


# Task types whose input is one text; the others take a JSON object.
_TEXT_INPUT = (K.CLASSIFICATION, K.MULTILABEL, K.TOKEN_CLASSIFICATION, K.SEQ2SEQ)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _preference_problem(task_input, answers: dict) -> str | None:
    """Why a preference item cannot be stored: `{"prompt", "options": [...]}` with `{"chosen"}` or `{"ranking"}`."""
    if not isinstance(task_input, dict) or not isinstance(task_input.get("prompt"), str) or "options" not in task_input:
        return "a preference input is {'prompt': text, 'options': [texts]}"
    options = task_input["options"]
    if not isinstance(options, list) or len(options) < 2:
        return f"a preference needs at least 2 options; it has {len(options) if isinstance(options, list) else 0}"
    if not all(isinstance(o, str) and o.strip() for o in options):
        return "every option must be non-empty text"
    for field, answer in answers.items():
        if answer is None:
            continue
        label = "" if field == "result" else f"{field}: "
        if isinstance(answer, dict) and set(answer) == {"chosen"}:
            if not _is_int(answer["chosen"]) or not 0 <= answer["chosen"] < len(options):
                return f"{label}'chosen' must be an option's index, 0 to {len(options) - 1}, not {answer['chosen']!r}"
        elif isinstance(answer, dict) and set(answer) == {"ranking"}:
            ranking = answer["ranking"]
            if (
                not isinstance(ranking, list)
                or not all(map(_is_int, ranking))
                or sorted(ranking) != list(range(len(options)))
            ):
                return f"{label}a ranking lists every option's index once, best first"
        else:
            return f"{label}a preference answer is {{'chosen': index}} or {{'ranking': [indices, best first]}}"
    return None


def _rating_problem(feedback_type: str | None, answer) -> str | None:
    if feedback_type == FeedbackType.RATING and not (_is_int(answer) and K.RATING_MIN <= answer <= K.RATING_MAX):
        return f"a rating is a whole number from {K.RATING_MIN} to {K.RATING_MAX}, not {answer!r}"
    return None


def _answer_problem(kind: K.ModelKind, task_input, answer) -> str | None:
    """Why an answer does not fit the kind: its shape, its labels, its spans, then the kind's own rules."""
    task_type = kind.task_type
    if task_type in (K.CLASSIFICATION, K.SEQ2SEQ) and not isinstance(answer, str):
        return f"a {task_type} answer is text, not {answer!r}"
    if task_type == K.MULTILABEL and not (isinstance(answer, list) and all(isinstance(a, str) for a in answer)):
        return f"a multilabel answer is a list of labels, not {answer!r}"
    if task_type == K.RANKING and (not isinstance(answer, (int, float)) or isinstance(answer, bool)):
        return f"a ranking answer is a number, not {answer!r}"
    if task_type == K.EXTRACTIVE_SUMMARY and not (
        isinstance(answer, dict) and isinstance(answer.get("selected"), list)
    ):
        return "an extractive summary answer is {'selected': [sentence indices]}"
    if task_type == K.TOKEN_CLASSIFICATION:
        if not isinstance(answer, list):
            return f"spans are a list of [start, end, label], not {answer!r}"
        for span in answer:
            if not (isinstance(span, list) and len(span) == 3 and _is_int(span[0]) and _is_int(span[1])):
                return f"span {span!r} is not [start, end, label]"
            if span[2] not in kind.labels:
                return f"unknown label {span[2]!r} in span {span!r}; {kind.name} knows {list(kind.labels)}"
            if not 0 <= span[0] < span[1] <= len(task_input):
                return f"span {span!r} is outside the text, which has {len(task_input)} characters"
    if task_type in (K.CLASSIFICATION, K.MULTILABEL):
        unknown = [a for a in (answer if isinstance(answer, list) else [answer]) if a not in kind.labels]
        if unknown:
            return f"unknown label {unknown[0]!r}; {kind.name} knows {list(kind.labels)}"
    try:
        return kind.validate_example({"input": task_input, "target": answer})
    except (TypeError, ValueError, KeyError, IndexError) as exc:
        return f"the answer does not fit {kind.name}: {exc}"


def import_feedback_type(*, kind: K.ModelKind, item: dict) -> str:
    """An item's feedback type: as given, a preference when its input has options, else the kind's own."""
    if item.get("feedback_type"):
        return item["feedback_type"]
    if isinstance(item.get("input"), dict) and "options" in item["input"] and "prompt" in item["input"]:
        return FeedbackType.PREFERENCE
    return kind.feedback_type


def import_item_problem(*, kind: K.ModelKind, item) -> str | None:
    """Why an imported item cannot be stored for `kind`, or None when it can."""
    if not isinstance(item, dict) or "input" not in item:
        return "an item needs an 'input'"
    group = item.get("group") or ""
    if not isinstance(group, str) or len(group) > 200:
        return "the group must be text of at most 200 characters"
    score = item.get("prediction_score")
    if score is not None and (not isinstance(score, (int, float)) or isinstance(score, bool)):
        return f"prediction_score must be a number, not {score!r}"
    feedback_type = import_feedback_type(kind=kind, item=item)
    task_input, answers = item["input"], {"result": item.get("result"), "prediction": item.get("prediction")}
    if feedback_type == FeedbackType.PREFERENCE:
        return _preference_problem(task_input, answers)
    if feedback_type != kind.feedback_type:
        return f"{kind.name} takes {kind.feedback_type!r} or 'preference' items, not {feedback_type!r}"
    if kind.task_type in _TEXT_INPUT:
        if not isinstance(task_input, str) or not task_input.strip():
            return "the input must be non-empty text"
    elif not isinstance(task_input, dict):
        return f"a {kind.task_type} input is a JSON object"
    if answers["result"] is not None and (problem := _rating_problem(feedback_type, answers["result"])):
        return problem
    for field, answer in answers.items():
        problem = None if answer is None else _answer_problem(kind, task_input, answer)
        if problem:
            return problem if field == "result" else f"prediction: {problem}"
    return None
