"""Forms of the model pages: they collect input and hand it to a service; the service's errors land on them."""
from django import forms
from django.core.exceptions import ValidationError

from suite.ml import engine, selectors, services
from suite.ml.engine.hparams import RANGES
from suite.ml.models import TrainingRun
from suite.forms import add_service_errors

# The hyperparameters a person may set on the start-run form, with their labels; blank means the strategy default.
HYPERPARAMETER_FIELDS = {
    "learning_rate": ("Learning rate", "Step size for the encoder's weights."),
    "head_learning_rate": ("Head learning rate", "Step size for the task head."),
    "batch_size": ("Batch size", ""),
    "epochs": ("Epochs", "The most epochs; early stopping may end sooner."),
    "weight_decay": ("Weight decay", ""),
    "warmup_ratio": ("Warmup ratio", "Share of steps spent warming the learning rate up."),
    "max_length": ("Max length", "Tokens per input."),
    "frozen_layers": ("Frozen layers", "Layer-wise strategy: bottom layers kept frozen."),
    "lora_rank": ("LoRA rank", "LoRA strategy: rank of the adapters."),
    "seed": ("Seed", ""),
    "patience": ("Patience", "Epochs without a better validation metric before stopping."),
}


def strategy_defaults() -> dict[str, dict]:
    """Every strategy's default hyperparameters, shown as placeholders on the form."""
    return {s: engine.hyperparameters_parse({}, strategy=s).as_dict() for s in engine.STRATEGIES}


class RunStartForm(forms.Form):
    strategy = forms.ChoiceField(choices=[(s, TrainingRun.Strategy(s).label) for s in engine.STRATEGIES])
    snapshot = forms.ModelChoiceField(
        queryset=None, required=False, empty_label=None, label="Dataset snapshot",
        help_text="The frozen examples to train, validate and test on; the latest by default.",
    )

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        snapshots = selectors.snapshot_list(kind=kind.name)
        self.fields["snapshot"].queryset = snapshots
        self.fields["snapshot"].label_from_instance = (
            lambda s: f"#{s.pk} · {s.size} examples · {s.origin} · {s.created_at:%Y-%m-%d %H:%M}"
        )
        self.fields["snapshot"].initial = snapshots.first()
        self.fields["strategy"].initial = kind.default_strategy
        defaults = strategy_defaults()[kind.default_strategy]
        for name, (label, help_text) in HYPERPARAMETER_FIELDS.items():
            number_type = RANGES[name][0]
            field_class = forms.IntegerField if number_type is int else forms.FloatField
            field = field_class(label=label, required=False, help_text=help_text)
            field.widget.attrs.update({"placeholder": f"{defaults[name]:g}", "data-hyperparameter": name})
            if number_type is float:
                field.widget.attrs["step"] = "any"
            self.fields[name] = field

    def hyperparameter_fields(self):
        return [self[name] for name in HYPERPARAMETER_FIELDS]

    def start(self, *, user) -> TrainingRun | None:
        """Queue the run; None with the service's reasons on the form when it refuses."""
        chosen = {name: self.cleaned_data.get(name) for name in HYPERPARAMETER_FIELDS}
        hyperparameters = {name: value for name, value in chosen.items() if value is not None}
        try:
            return services.training_run_start(
                kind=self.kind.name, strategy=self.cleaned_data["strategy"], hyperparameters=hyperparameters,
                snapshot=self.cleaned_data.get("snapshot"), user=user,
            )
        except ValidationError as exc:
            add_service_errors(self, exc)
            return None


class PromoteForm(forms.Form):
    version = forms.CharField(
        max_length=20, label="Version", help_text="A version number, or 'default' for the untrained default.",
        widget=forms.TextInput(attrs={"placeholder": "3 or default", "inputmode": "text"}),
    )
    confirm = forms.BooleanField(required=False, label="Promote although it scored lower")
    reason = forms.CharField(required=False, max_length=500, label="Reason", widget=forms.Textarea(attrs={"rows": 2}))

    def promote(self, *, kind: str, user):
        try:
            return services.version_promote(
                kind=kind, target=self.cleaned_data["version"], user=user, force=self.cleaned_data["confirm"],
                reason=self.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(self, exc)
            return None

    @property
    def needs_confirmation(self) -> bool:
        return "confirm" in self.errors or "reason" in self.errors


class RollbackForm(forms.Form):
    version = forms.CharField(
        max_length=20, required=False, label="Back to",
        help_text="Blank: what served before. Or a version that served earlier, or 'default'.",
        widget=forms.TextInput(attrs={"placeholder": "previous"}),
    )

    def rollback(self, *, kind: str, user):
        try:
            return services.version_rollback(kind=kind, user=user, target=self.cleaned_data.get("version") or None)
        except ValidationError as exc:
            add_service_errors(self, exc)
            return None
