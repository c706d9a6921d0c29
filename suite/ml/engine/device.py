"""Where models and batches live: `ML_DEVICE` (cpu, cuda, cuda:1, mps), by default CUDA when available, else CPU.

On a GPU the forward passes run under bfloat16 autocast (mixed precision, no loss scaling needed); weights and
optimizer state stay float32. On a CPU nothing changes.
"""
import contextlib
import os

import torch


class DeviceError(RuntimeError):
    pass


def device() -> torch.device:
    from django.conf import settings

    name = (getattr(settings, "ML_DEVICE", None) or os.environ.get("ML_DEVICE") or "").strip().lower()
    if not name:
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        chosen = torch.device(name)
    except RuntimeError:
        raise DeviceError(f"ML_DEVICE={name!r} is not a device torch knows (cpu, cuda, cuda:N, mps).") from None
    if chosen.type == "cuda" and not torch.cuda.is_available():
        raise DeviceError(f"ML_DEVICE={name!r} but this machine has no usable CUDA GPU; set ML_DEVICE=cpu or leave it unset.")
    if chosen.type == "cuda" and chosen.index is not None and chosen.index >= torch.cuda.device_count():
        raise DeviceError(f"ML_DEVICE={name!r} but only {torch.cuda.device_count()} GPU(s) are visible.")
    if chosen.type == "mps" and not torch.backends.mps.is_available():
        raise DeviceError(f"ML_DEVICE={name!r} but MPS is not available here.")
    return chosen


def to_device(value, where: torch.device):
    """Tensors (also inside dicts, lists and tuples) moved to `where`; everything else as it is."""
    if isinstance(value, torch.Tensor):
        return value.to(where, non_blocking=where.type == "cuda")
    if isinstance(value, dict):
        return {k: to_device(v, where) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(to_device(v, where) for v in value)
    return value


def autocast(where: torch.device):
    """Mixed precision on a GPU (bfloat16 where supported, else float16), plain float32 elsewhere."""
    if where.type != "cuda":
        return contextlib.nullcontext()
    dtype = torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    return torch.autocast(device_type="cuda", dtype=dtype)
