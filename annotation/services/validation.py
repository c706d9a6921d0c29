"""Whether an answer or an imported item fits its kind: shape, labels, spans, options, ratings.

Every write that stores an answer (a flag's correction, a submission, an adjudication, an import) asks here first.
The shape of each task type's answers is its class's (`suite.ml.tasktypes`); what stays here is the annotation
app's own: preferences between options, the rating rubric's feedback type, and an import item's envelope.
"""

from django.core.exceptions import ValidationError

from annotation.models import FeedbackType
from suite.ml import kinds as K
from suite.ml.tasktypes import rating_problem
from suite.ml.tasktypes.base import is_whole_number


def _check_result(kind: K.ModelKind, task_input, result, *, feedback_type: str | None = None) -> None:
    """Refuse an answer that does not fit the kind (or, for preference items, the options offered)."""
    if feedback_type == FeedbackType.PREFERENCE:
        problem = _preference_problem(task_input, {"result": result})
    else:
        problem = _rating_problem(feedback_type, result) or kind.answer_problem(task_input, result)
    if problem:
        raise ValidationError({"result": [problem]})


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
            if not is_whole_number(answer["chosen"]) or not 0 <= answer["chosen"] < len(options):
                return f"{label}'chosen' must be an option's index, 0 to {len(options) - 1}, not {answer['chosen']!r}"
        elif isinstance(answer, dict) and set(answer) == {"ranking"}:
            ranking = answer["ranking"]
            if (
                not isinstance(ranking, list)
                or not all(map(is_whole_number, ranking))
                or sorted(ranking) != list(range(len(options)))
            ):
                return f"{label}a ranking lists every option's index once, best first"
        else:
            return f"{label}a preference answer is {{'chosen': index}} or {{'ranking': [indices, best first]}}"
    return None


def _rating_problem(feedback_type: str | None, answer) -> str | None:
    return rating_problem(answer) if feedback_type == FeedbackType.RATING else None


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
    if problem := kind.task.input_problem(task_input):
        return problem
    if answers["result"] is not None and (problem := _rating_problem(feedback_type, answers["result"])):
        return problem
    for field, answer in answers.items():
        problem = None if answer is None else kind.answer_problem(task_input, answer)
        if problem:
            return problem if field == "result" else f"prediction: {problem}"
    return None
