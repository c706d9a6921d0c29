"""The optional generative tier: a seq2seq LM (T5, BART) trained and served with the same interface as EncoderModel."""
import json
import os
from pathlib import Path

import torch
from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

from suite.ml.engine.device import autocast, device, to_device
from suite.ml.engine.hparams import Hyperparameters
from suite.ml.engine.loop import TrainableModel
from suite.ml.engine.networks import apply_strategy
from suite.ml.engine.runtime import FORMAT

MAX_NEW_TOKENS = 64


def _hub_options() -> dict:
    # A hub id resolves only if the operator lifted HF_HUB_OFFLINE; with it set, never try the network.
    return {"local_files_only": True} if os.environ.get("HF_HUB_OFFLINE") == "1" else {}


class Seq2SeqParts:
    """Where the strategies act on a seq2seq LM (T5- or BART-like); see networks.apply_strategy."""

    def __init__(self, model):
        self.model = model

    def layerwise_frozen(self, frozen_layers: int) -> list:
        model = self.model
        if hasattr(model, "encoder") and hasattr(model.encoder, "block"):  # T5
            blocks = list(model.encoder.block)
        elif hasattr(getattr(getattr(model, "model", None), "encoder", None), "layers"):  # BART-like
            blocks = list(model.model.encoder.layers)
        else:
            raise ValueError(
                f"{type(model).__name__} has no encoder.block or model.encoder.layers; use the full, feature or lora strategy"
            )
        return [model.get_input_embeddings(), *blocks[: min(frozen_layers, len(blocks))]]

    def feature_frozen(self):
        # For seq2seq, "feature" means a frozen encoder (embeddings included) under a trained decoder.
        return self.model.get_encoder()

    def with_lora(self, config: dict):
        from peft import LoraConfig, TaskType, get_peft_model

        config = LoraConfig(task_type=TaskType.SEQ_2_SEQ_LM, **config, target_modules=self._lora_targets())
        return get_peft_model(self.model, config)

    def _lora_targets(self) -> list[str]:
        names = {name.rsplit(".", 1)[-1] for name, _ in self.model.named_modules()}
        if {"q_proj", "v_proj"} <= names:
            return ["q_proj", "v_proj"]
        if {"q", "v"} <= names:
            return ["q", "v"]
        name = type(self.model).__name__
        raise ValueError(f"{name} has neither q/v nor q_proj/v_proj attention projections for LoRA")


class GenerativeModel(TrainableModel):
    """A seq2seq LM with its tokenizer and what it was built with; predicts `{"text": ...}` per input."""

    def __init__(self, *, net, tokenizer, meta: dict):
        self.net, self.tokenizer, self.meta = net, tokenizer, meta
        self.task_type = meta["task_type"]
        self.labels = ()
        self.device = device()
        self.net = self.net.to(self.device)

    # --- building, saving, loading ------------------------------------------------------------

    @classmethod
    def from_base(cls, kind, *, base: str, strategy: str, hp: Hyperparameters) -> "GenerativeModel":
        torch.manual_seed(hp.seed)
        tokenizer = AutoTokenizer.from_pretrained(base, **_hub_options())
        model = AutoModelForSeq2SeqLM.from_pretrained(base, **_hub_options())
        net = apply_strategy(
            model, strategy, frozen_layers=hp.frozen_layers, lora_rank=hp.lora_rank, parts=Seq2SeqParts(model),
        )
        meta = {
            "format": FORMAT, "kind": kind.name, "task_type": kind.task_type, "labels": [], "strategy": strategy,
            "base": str(base), "max_length": hp.max_length, "max_new_tokens": MAX_NEW_TOKENS, "hyperparameters": hp.as_dict(),
        }
        return cls(net=net, tokenizer=tokenizer, meta=meta)

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
    def load(cls, kind, folder: Path) -> "GenerativeModel":
        """A saved model; `kind` is accepted for the same call as EncoderModel.load and not needed."""
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
        return cls(net=net, tokenizer=tokenizer, meta=meta)

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

    def _training_set(self, examples: list[dict], hp: Hyperparameters):
        def batch(idx):
            chunk = [examples[i] for i in idx]
            enc = self.tokenizer(
                [str(e["input"]) for e in chunk], text_target=[str(e["target"]) for e in chunk],
                truncation=True, max_length=self.max_length, padding=True, return_tensors="pt",
            )
            labels = enc["labels"]
            labels[labels == self.tokenizer.pad_token_id] = -100  # padding is not something to predict
            return {"input_ids": enc["input_ids"], "attention_mask": enc["attention_mask"], "labels": labels}

        return len(examples), batch

    def _param_groups(self, hp: Hyperparameters) -> list[dict]:
        return [{"params": [p for p in self.net.parameters() if p.requires_grad], "lr": hp.learning_rate}]

    def _loss_function(self, hp: Hyperparameters):
        def loss_of(batch):
            with autocast(self.device):
                return self.net(**to_device(batch, self.device)).loss.float()

        return loss_of
