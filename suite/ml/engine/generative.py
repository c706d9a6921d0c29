"""The optional generative tier: a seq2seq LM (T5, BART) trained and served with the same interface as KindModel."""
import json
import math
import os
import random
from pathlib import Path
from typing import Callable

import torch
from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

from suite.ml import kinds as K
from suite.ml.engine.device import autocast, device, to_device
from suite.ml.engine.hparams import Hyperparameters
from suite.ml.engine.loop import EpochRecord, FitResult, fit_loop
from suite.ml.engine.runtime import FORMAT

MAX_NEW_TOKENS = 64


def _hub_options() -> dict:
    # A hub id resolves only if the operator lifted HF_HUB_OFFLINE; with it set, never try the network.
    return {"local_files_only": True} if os.environ.get("HF_HUB_OFFLINE") == "1" else {}


def _encoder_blocks(model) -> list:
    if hasattr(model, "encoder") and hasattr(model.encoder, "block"):  # T5
        return list(model.encoder.block)
    if hasattr(model, "model") and hasattr(model.model, "encoder") and hasattr(model.model.encoder, "layers"):  # BART-like
        return list(model.model.encoder.layers)
    raise ValueError(f"{type(model).__name__} has no encoder.block or model.encoder.layers; use the full, feature or lora strategy")


def _lora_targets(model) -> list[str]:
    names = {name.rsplit(".", 1)[-1] for name, _ in model.named_modules()}
    if {"q_proj", "v_proj"} <= names:
        return ["q_proj", "v_proj"]
    if {"q", "v"} <= names:
        return ["q", "v"]
    raise ValueError(f"{type(model).__name__} has neither q/v nor q_proj/v_proj attention projections for LoRA")


def apply_strategy(model, strategy: str, *, frozen_layers: int, lora_rank: int):
    """Freeze what the strategy keeps fixed; for LoRA, wrap the attention projections in adapters."""
    for p in model.parameters():
        p.requires_grad = True
    if strategy == "full":
        return model
    if strategy == "layerwise":
        blocks = _encoder_blocks(model)
        for module in [model.get_input_embeddings(), *blocks[: min(frozen_layers, len(blocks))]]:
            for p in module.parameters():
                p.requires_grad = False
        return model
    if strategy == "feature":
        # For seq2seq, "feature" means a frozen encoder (embeddings included) under a trained decoder.
        for p in model.get_encoder().parameters():
            p.requires_grad = False
        return model
    if strategy == "lora":
        from peft import LoraConfig, TaskType, get_peft_model

        config = LoraConfig(
            task_type=TaskType.SEQ_2_SEQ_LM, r=lora_rank, lora_alpha=2 * lora_rank, lora_dropout=0.1,
            target_modules=_lora_targets(model),
        )
        return get_peft_model(model, config)  # freezes the base weights, adds trainable adapters
    raise ValueError(f"unknown strategy {strategy!r}")


class GenerativeModel:
    """A seq2seq LM with its tokenizer and what it was built with; predicts `{"text": ...}` per input."""

    def __init__(self, *, kind: K.ModelKind, net, tokenizer, meta: dict):
        self.kind, self.net, self.tokenizer, self.meta = kind, net, tokenizer, meta
        self.task_type = kind.task_type
        self.labels = ()
        self.device = device()
        self.net = self.net.to(self.device)

    # --- building, saving, loading ------------------------------------------------------------

    @classmethod
    def from_base(cls, kind: K.ModelKind, *, base: str, strategy: str, hp: Hyperparameters) -> "GenerativeModel":
        torch.manual_seed(hp.seed)
        tokenizer = AutoTokenizer.from_pretrained(base, **_hub_options())
        model = AutoModelForSeq2SeqLM.from_pretrained(base, **_hub_options())
        net = apply_strategy(model, strategy, frozen_layers=hp.frozen_layers, lora_rank=hp.lora_rank)
        meta = {
            "format": FORMAT, "kind": kind.name, "task_type": kind.task_type, "labels": [], "strategy": strategy,
            "base": str(base), "max_length": hp.max_length, "max_new_tokens": MAX_NEW_TOKENS, "hyperparameters": hp.as_dict(),
        }
        return cls(kind=kind, net=net, tokenizer=tokenizer, meta=meta)

    def save(self, folder: Path) -> None:
        """safetensors weights and tokenizer; for LoRA only the adapter, the base being named in the meta."""
        folder.mkdir(parents=True, exist_ok=True)
        self.tokenizer.save_pretrained(folder)
        if self.meta["strategy"] == "lora":
            self.net.save_pretrained(folder / "adapter")
        else:
            self.net.save_pretrained(folder, safe_serialization=True)
        (folder / "fineloop.json").write_text(json.dumps(self.meta, indent=2))

    @classmethod
    def load(cls, kind: K.ModelKind, folder: Path) -> "GenerativeModel":
        folder = Path(folder)
        meta = json.loads((folder / "fineloop.json").read_text())
        tokenizer = AutoTokenizer.from_pretrained(folder)
        if (folder / "adapter").exists():
            from peft import PeftModel

            base = AutoModelForSeq2SeqLM.from_pretrained(meta["base"], **_hub_options())
            net = PeftModel.from_pretrained(base, folder / "adapter").merge_and_unload()
        else:
            net = AutoModelForSeq2SeqLM.from_pretrained(folder)
        net.eval()
        return cls(kind=kind, net=net, tokenizer=tokenizer, meta=meta)

    # --- inference -----------------------------------------------------------------------------

    @property
    def max_length(self) -> int:
        return int(self.meta["max_length"])

    @torch.inference_mode()
    def predict(self, inputs: list[str], batch_size: int = 32) -> list[dict]:
        self.net.eval()
        texts = [str(x) for x in inputs]
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # similar lengths pad less
        out = [None] * len(texts)
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            enc = self.tokenizer([texts[i] for i in idx], truncation=True, max_length=self.max_length, padding=True, return_tensors="pt")
            enc = to_device(dict(enc), self.device)
            with autocast(self.device):
                generated = self.net.generate(
                    input_ids=enc["input_ids"], attention_mask=enc["attention_mask"],
                    max_new_tokens=int(self.meta.get("max_new_tokens", MAX_NEW_TOKENS)), num_beams=1, do_sample=False,
                )
            for i, text in zip(idx, self.tokenizer.batch_decode(generated.cpu(), skip_special_tokens=True)):
                out[i] = {"text": text.strip()}
        return out

    # --- training ------------------------------------------------------------------------------

    def _training_batches(self, examples: list[dict], hp: Hyperparameters, rng: random.Random):
        order = list(range(len(examples)))
        rng.shuffle(order)
        for start in range(0, len(order), hp.batch_size):
            chunk = [examples[i] for i in order[start : start + hp.batch_size]]
            enc = self.tokenizer(
                [str(e["input"]) for e in chunk], text_target=[str(e["target"]) for e in chunk],
                truncation=True, max_length=self.max_length, padding=True, return_tensors="pt",
            )
            labels = enc["labels"]
            labels[labels == self.tokenizer.pad_token_id] = -100  # padding is not something to predict
            yield {"input_ids": enc["input_ids"], "attention_mask": enc["attention_mask"], "labels": labels}

    def _loss(self, batch):
        with autocast(self.device):
            return self.net(**to_device(batch, self.device)).loss.float()

    def fit(
        self,
        train: list[dict],
        validation: list[dict],
        hp: Hyperparameters,
        *,
        evaluate: Callable[[list[dict]], dict],
        primary_metric: str,
        on_progress: Callable[[float, str], None] = lambda fraction, stage: None,
        on_epoch: Callable[[EpochRecord], None] = lambda record: None,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> FitResult:
        """Train with validation each epoch and early stopping; the best epoch's weights are restored."""
        trainable = [p for p in self.net.parameters() if p.requires_grad]
        return fit_loop(
            self.net, param_groups=[{"params": trainable, "lr": hp.learning_rate}],
            batches=lambda rng: self._training_batches(train, hp, rng), loss_of=self._loss,
            steps_per_epoch=max(1, math.ceil(len(train) / hp.batch_size)), hp=hp, validation=validation,
            evaluate=evaluate, primary_metric=primary_metric, on_progress=on_progress, on_epoch=on_epoch,
            should_stop=should_stop,
        )
