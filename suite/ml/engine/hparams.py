"""Hyperparameters of a training run, with their defaults and the ranges a run refuses to leave."""
from dataclasses import asdict, dataclass, fields

STRATEGIES = ("full", "layerwise", "feature", "lora", "sparse", "crf")
# Strategies that train no encoder: a linear model on sparse text features, a CRF on token features.
SHALLOW_STRATEGIES = {"sparse": ("classification", "multilabel"), "crf": ("token_classification",)}


class HyperparameterError(ValueError):
    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


@dataclass
class Hyperparameters:
    learning_rate: float = 5e-5
    head_learning_rate: float = 2e-3
    batch_size: int = 16
    epochs: int = 4
    weight_decay: float = 0.01
    warmup_ratio: float = 0.1
    max_length: int = 128
    frozen_layers: int = 4
    lora_rank: int = 8
    seed: int = 13
    patience: int = 2
    # Token classification: weight of the "O" tag in the loss; below 1 keeps rare entity tags from being drowned out.
    outside_weight: float = 1.0
    # Shallow strategies: L1 and L2 penalties (the CRF's c1 and c2; the linear model's inverse C is l2_penalty).
    l1_penalty: float = 0.0
    l2_penalty: float = 1.0

    def as_dict(self) -> dict:
        return asdict(self)


# name: (type, low, high); bounds are inclusive.
RANGES = {
    "learning_rate": (float, 1e-7, 1.0),
    "head_learning_rate": (float, 1e-7, 1.0),
    "batch_size": (int, 1, 512),
    "epochs": (int, 1, 200),
    "weight_decay": (float, 0.0, 1.0),
    "warmup_ratio": (float, 0.0, 0.5),
    "max_length": (int, 8, 4096),
    "frozen_layers": (int, 0, 48),
    "lora_rank": (int, 1, 256),
    "seed": (int, 0, 2**31 - 1),
    "patience": (int, 1, 50),
    "outside_weight": (float, 0.01, 1.0),
    "l1_penalty": (float, 0.0, 100.0),
    "l2_penalty": (float, 0.0, 100.0),
}
# The feature strategy trains only a head on frozen embeddings: it wants a bigger step and more epochs.
STRATEGY_DEFAULTS = {"feature": {"head_learning_rate": 1e-2, "epochs": 30, "patience": 5}, "lora": {"learning_rate": 5e-4}}


def hyperparameters_parse(values: dict | None, *, strategy: str) -> Hyperparameters:
    """Defaults for the strategy, overridden by `values`; every name and range checked before any work."""
    errors = {}
    if strategy not in STRATEGIES:
        errors["strategy"] = f"must be one of {', '.join(STRATEGIES)}"
    merged = {**STRATEGY_DEFAULTS.get(strategy, {}), **{k: v for k, v in (values or {}).items() if v is not None}}
    known = {f.name for f in fields(Hyperparameters)}
    for name in sorted(set(merged) - known):
        errors[name] = "unknown hyperparameter"
    clean = {}
    for name in sorted(set(merged) & known):
        kind, low, high = RANGES[name]
        value = merged[name]
        try:
            if isinstance(value, bool) or (kind is int and float(value) != int(float(value))):
                raise ValueError
            value = kind(float(value)) if kind is int else kind(value)
        except (TypeError, ValueError):
            errors[name] = f"must be {'an integer' if kind is int else 'a number'}"
            continue
        if not low <= value <= high:
            errors[name] = f"must be between {low:g} and {high:g}"
            continue
        clean[name] = value
    if errors:
        raise HyperparameterError(errors)
    return Hyperparameters(**clean)
