"""The networks every kind trains: a transformer encoder with a task head, and the strategies that freeze it."""
from typing import Protocol

import torch
from torch import nn


def mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean over real tokens, L2-normalised: the same sentence embedding the suite's Encoder returns."""
    mask = mask.unsqueeze(-1).to(hidden.dtype)
    pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
    return nn.functional.normalize(pooled, p=2, dim=1)


class EncoderNet(nn.Module):
    """Encoder plus a linear head: over the pooled sentence embedding, or over every token."""

    def __init__(self, encoder: nn.Module, task, labels: tuple[str, ...]):
        super().__init__()
        self.encoder = encoder
        self.task_type = task.name
        self.token_level = task.token_level
        self.dropout = nn.Dropout(0.1)
        self.head = nn.Linear(encoder.config.hidden_size, task.output_size(tuple(labels)))

    def features(self, input_ids, attention_mask) -> torch.Tensor:
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        return hidden if self.token_level else mean_pool(hidden, attention_mask)

    def forward(self, input_ids=None, attention_mask=None, features=None) -> torch.Tensor:
        if features is None:
            features = self.features(input_ids, attention_mask)
        return self.head(self.dropout(features))

    # --- what each strategy freezes (see apply_strategy) ---------------------------------------

    def layerwise_frozen(self, frozen_layers: int) -> list[nn.Module]:
        try:
            embeddings, layers = self.encoder.embeddings, list(self.encoder.encoder.layer)
        except AttributeError:
            name = type(self.encoder).__name__
            raise ValueError(f"{name} has no embeddings/encoder.layer; use the full or lora strategy") from None
        return [embeddings, *layers[: min(frozen_layers, len(layers) - 1)]]  # at least the top layer stays trainable

    def feature_frozen(self) -> nn.Module:
        return self.encoder

    def with_lora(self, config: dict) -> "EncoderNet":
        from peft import LoraConfig, get_peft_model

        self.encoder = get_peft_model(self.encoder, LoraConfig(**config, target_modules=["query", "value"]))
        return self


class StrategyParts(Protocol):
    """A model as the strategies see it: which modules each one freezes, and how LoRA wraps it."""

    def layerwise_frozen(self, frozen_layers: int) -> list[nn.Module]: ...
    def feature_frozen(self) -> nn.Module: ...
    def with_lora(self, config: dict): ...


def apply_strategy(
    model: nn.Module, strategy: str, *, frozen_layers: int, lora_rank: int, parts: StrategyParts | None = None,
):
    """Freeze what the strategy keeps fixed; for LoRA, adapters on the attention (base weights frozen by peft).
    `parts` says where those are (the model itself by default). Returns the model to train: LoRA may wrap it."""
    parts = parts or model
    for p in model.parameters():
        p.requires_grad = True
    if strategy == "full":
        return model
    if strategy in ("layerwise", "feature"):
        frozen = parts.layerwise_frozen(frozen_layers) if strategy == "layerwise" else [parts.feature_frozen()]
        for module in frozen:
            for p in module.parameters():
                p.requires_grad = False
        return model
    if strategy == "lora":
        return parts.with_lora({"r": lora_rank, "lora_alpha": 2 * lora_rank, "lora_dropout": 0.1})
    raise ValueError(f"unknown strategy {strategy!r}")
