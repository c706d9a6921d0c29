"""The one training loop every model of the engine runs: epochs, validation, early stopping, best weights back."""
import math
import random
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable

import numpy as np
import torch
from transformers import get_linear_schedule_with_warmup

from suite.ml.engine import Cancelled
from suite.ml.engine.hparams import Hyperparameters


@dataclass
class EpochRecord:
    epoch: int
    train_loss: float
    validation: dict
    seconds: float


@dataclass
class FitResult:
    epochs: list[EpochRecord] = field(default_factory=list)
    best_epoch: int | None = None
    stopped_early: bool = False


def fit_loop(
    net: torch.nn.Module,
    *,
    param_groups: list[dict],
    batches: Callable[[random.Random], Iterable],
    loss_of: Callable[[object], torch.Tensor],
    steps_per_epoch: int,
    hp: Hyperparameters,
    validation: list[dict],
    evaluate: Callable[[list[dict]], dict],
    primary_metric: str,
    on_progress: Callable[[float, str], None],
    on_epoch: Callable[[EpochRecord], None],
    should_stop: Callable[[], bool],
) -> FitResult:
    """AdamW with linear warm-up; validate each epoch, stop after `patience` epochs without a better metric."""
    rng = random.Random(hp.seed)
    torch.manual_seed(hp.seed)
    trainable = {n: p for n, p in net.named_parameters() if p.requires_grad}
    optimizer = torch.optim.AdamW(param_groups, weight_decay=hp.weight_decay)
    total = steps_per_epoch * hp.epochs
    scheduler = get_linear_schedule_with_warmup(optimizer, int(total * hp.warmup_ratio), total)

    result, best_value, best_state, waited, step = FitResult(), -math.inf, None, 0, 0
    for epoch in range(1, hp.epochs + 1):
        started, losses = time.monotonic(), []
        net.train()
        for batch in batches(rng):
            if should_stop():
                raise Cancelled()
            loss = loss_of(batch)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(trainable.values(), 1.0)
            optimizer.step()
            scheduler.step()
            losses.append(loss.item())
            step += 1
            on_progress(step / (total + hp.epochs), f"epoch {epoch}/{hp.epochs}: training")
        on_progress((step + epoch) / (total + hp.epochs), f"epoch {epoch}/{hp.epochs}: validating")
        metrics = evaluate(validation)
        record = EpochRecord(epoch, float(np.mean(losses)) if losses else 0.0, metrics, round(time.monotonic() - started, 3))
        result.epochs.append(record)
        on_epoch(record)
        value = metrics.get(primary_metric, -math.inf)
        if value > best_value:
            best_value, result.best_epoch, waited = value, epoch, 0
            best_state = {n: p.detach().clone() for n, p in trainable.items()}
        else:
            waited += 1
            if waited >= hp.patience:
                result.stopped_early = epoch < hp.epochs
                break
    if best_state is not None:
        with torch.no_grad():
            for name, param in trainable.items():
                param.copy_(best_state[name])
    net.eval()
    return result
