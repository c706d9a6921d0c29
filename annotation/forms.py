"""Forms of the annotation pages: they collect input and hand it to a service; the service's errors land on them."""
from django import forms
from django.core.exceptions import ValidationError

from annotation.models import AnnotationTask, FeedbackType
from suite.ml import kinds as K

RATINGS = (1, 2, 3, 4, 5)


class StartForm(forms.Form):
    """Take the next item of a kind (or of any kind) from the queue."""

    kind = forms.CharField(required=False, max_length=100)


class AnswerForm(forms.Form):
    """An annotator's answer: the result as JSON (the page's script writes it), or `accept` for the suggestion as is."""

    result = forms.JSONField(required=False)
    accept = forms.BooleanField(required=False)
    seconds_spent = forms.FloatField(required=False, min_value=0, max_value=86_400)

    def __init__(self, *args, task: AnnotationTask, **kwargs):
        super().__init__(*args, **kwargs)
        self.task = task

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("accept"):
            if self.task.prediction is None:
                raise ValidationError("This item has no suggestion to accept; give your own answer.")
            cleaned["result"] = self.task.prediction
        elif cleaned.get("result") is None and "result" not in self.errors:
            self.add_error("result", "Give an answer before submitting.")
        return cleaned


class SkipForm(forms.Form):
    reason = forms.CharField(max_length=500, label="Why skip this item?")


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "Accept"), ("reject", "Reject")])
    comment = forms.CharField(required=False, max_length=2000)


class AdjudicateForm(forms.Form):
    """The answer that counts, in the shape of the task's feedback type."""

    comment = forms.CharField(required=False, max_length=2000, label="Why this answer")

    def __init__(self, *args, task: AnnotationTask, **kwargs):
        super().__init__(*args, **kwargs)
        self.task = task
        kind = K.get_kind(task.kind)
        feedback, label = task.feedback_type, "Answer"
        if feedback == FeedbackType.CLASSIFICATION and kind.task_type == K.MULTILABEL:
            field = forms.MultipleChoiceField(choices=[(l, l) for l in kind.labels], widget=forms.CheckboxSelectMultiple)
        elif feedback == FeedbackType.CLASSIFICATION:
            field = forms.ChoiceField(choices=[(l, l) for l in kind.labels])
        elif feedback == FeedbackType.RATING:
            field = forms.TypedChoiceField(choices=[(r, r) for r in RATINGS], coerce=int)
        elif feedback == FeedbackType.PREFERENCE:
            options = task.input.get("options", []) if isinstance(task.input, dict) else []
            field = forms.TypedChoiceField(
                choices=[(i, f"Option {i + 1}") for i in range(len(options))], coerce=int, label="Preferred option"
            )
        elif feedback == FeedbackType.CORRECTION and kind.task_type == K.SEQ2SEQ:
            field = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), strip=False, label="Corrected text")
        else:  # spans and extractive summaries: the result as JSON, e.g. [[0, 6, "SKILL"]] or {"selected": [0, 2]}
            field = forms.JSONField(widget=forms.Textarea(attrs={"rows": 2, "class": "mono"}), label="Answer (JSON)")
        field.label = field.label or label
        self.fields = {"result": field, **self.fields}

    def clean_result(self):
        result = self.cleaned_data["result"]
        if self.task.feedback_type == FeedbackType.PREFERENCE:
            return {"chosen": result}
        return result

    @staticmethod
    def initial_for(task: AnnotationTask) -> dict:
        """Start from the first submitted answer, else the suggestion."""
        submitted = [a for a in task.annotations.all() if a.status == "submitted"]
        answer = submitted[0].result if submitted else task.prediction
        if answer is None:
            return {}
        if task.feedback_type == FeedbackType.PREFERENCE:
            return {"result": answer.get("chosen")} if isinstance(answer, dict) else {}
        if task.feedback_type == FeedbackType.RATING and isinstance(answer, (int, float)):
            return {"result": min(max(round(answer), RATINGS[0]), RATINGS[-1])}
        return {"result": answer}


def _kind_choices():
    return [(kind.name, kind.name) for kind in K.all_kinds()]


class ImportForm(forms.Form):
    """A file in a registered import format for a kind, with a label mapping and a dry run."""

    file = forms.FileField(help_text="Label Studio JSON, doccano JSONL, CUAD_v1.json or a zip of the CUAD_v1 folder, ...")
    format = forms.ChoiceField(choices=())
    kind = forms.ChoiceField(choices=())
    labels = forms.CharField(
        required=False, label="Label mapping", widget=forms.Textarea(attrs={"rows": 2}),
        help_text='FROM=TO, one pair per comma (or a JSON object {"FROM": "TO"}); labels with no mapping are left out and reported.',
    )
    accepted = forms.BooleanField(required=False, label="Labelled items are accepted training data")
    project = forms.CharField(required=False, max_length=200, help_text="default: '<kind> imports'")
    blind = forms.BooleanField(required=False, label="Blind project: later annotators do not see earlier answers")
    dry_run = forms.BooleanField(required=False, initial=True, label="Dry run: check and count, write nothing")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("blind") and not cleaned.get("project"):
            self.add_error("project", "Name the project that is to be blind.")
        return cleaned

    def __init__(self, *args, **kwargs):
        from annotation.formats import IMPORTERS

        super().__init__(*args, **kwargs)
        self.fields["format"].choices = [(name, f"{name}: {IMPORTERS[name].description}") for name in sorted(IMPORTERS)]
        self.fields["kind"].choices = _kind_choices()


class WebhookForm(forms.Form):
    """A URL to notify and the events it wants."""

    url = forms.URLField(max_length=500, label="URL", assume_scheme="https")
    events = forms.MultipleChoiceField(choices=(), widget=forms.CheckboxSelectMultiple)
    description = forms.CharField(required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        from annotation.models import WebhookEvent

        super().__init__(*args, **kwargs)
        self.fields["events"].choices = WebhookEvent.choices
