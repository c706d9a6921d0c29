"""The networks every kind trains: a transformer encoder with a task head, and the strategies that freeze it."""
import torch
from torch import nn

from suite.ml import kinds as K

SEQUENCE_TASKS = (K.CLASSIFICATION, K.MULTILABEL, K.RANKING, K.EXTRACTIVE_SUMMARY)


def mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean over real tokens, L2-normalised: the same sentence embedding the suite's Encoder returns."""
    mask = mask.unsqueeze(-1).to(hidden.dtype)
    pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
    return nn.functional.normalize(pooled, p=2, dim=1)


def output_size(task_type: str, labels: tuple[str, ...]) -> int:
    if task_type in (K.CLASSIFICATION, K.MULTILABEL):
        return len(labels)
    if task_type == K.TOKEN_CLASSIFICATION:
        return 1 + 2 * len(labels)  # O, then B- and I- per label
    return 1  # a relevance or salience logit


class EncoderNet(nn.Module):
    """Encoder plus a linear head: over the pooled sentence embedding, or over every token."""

    def __init__(self, encoder: nn.Module, task_type: str, num_outputs: int):
        super().__init__()
        self.encoder = encoder
        self.task_type = task_type
        self.token_level = task_type == K.TOKEN_CLASSIFICATION
        self.dropout = nn.Dropout(0.1)
        self.head = nn.Linear(encoder.config.hidden_size, num_outputs)

    def features(self, input_ids, attention_mask) -> torch.Tensor:
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        return hidden if self.token_level else mean_pool(hidden, attention_mask)

    def forward(self, input_ids=None, attention_mask=None, features=None) -> torch.Tensor:
        if features is None:
            features = self.features(input_ids, attention_mask)
        return self.head(self.dropout(features))


def _layers(encoder: nn.Module):
    try:
        return encoder.embeddings, list(encoder.encoder.layer)
    except AttributeError:
        raise ValueError(f"{type(encoder).__name__} has no embeddings/encoder.layer; use the full or lora strategy") from None


def apply_strategy(net: EncoderNet, strategy: str, *, frozen_layers: int, lora_rank: int) -> EncoderNet:
    """Freeze what the strategy keeps fixed; for LoRA, wrap the encoder's attention in adapters."""
    for p in net.parameters():
        p.requires_grad = True
    if strategy == "full":
        return net
    if strategy == "layerwise":
        embeddings, layers = _layers(net.encoder)
        n = min(frozen_layers, len(layers) - 1)  # at least the top layer stays trainable
        for module in [embeddings, *layers[:n]]:
            for p in module.parameters():
                p.requires_grad = False
        return net
    if strategy == "feature":
        for p in net.encoder.parameters():
            p.requires_grad = False
        return net
    if strategy == "lora":
        from peft import LoraConfig, get_peft_model

        config = LoraConfig(r=lora_rank, lora_alpha=2 * lora_rank, lora_dropout=0.1, target_modules=["query", "value"])
        net.encoder = get_peft_model(net.encoder, config)  # freezes the base weights, adds trainable adapters
        return net
    raise ValueError(f"unknown strategy {strategy!r}")
