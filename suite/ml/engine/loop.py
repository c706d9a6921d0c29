"""The one training loop every model of the engine runs: epochs, validation, early stopping, best weights back."""
import math
import random
import time
from dataclasses import dataclass, field
from typing import Callable

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
    size: int,
    collate: Callable[[list[int]], object],
    loss_of: Callable[[object], torch.Tensor],
    hp: Hyperparameters,
    validation: list[dict],
    evaluate: Callable[[list[dict]], dict],
    primary_metric: str,
    on_progress: Callable[[float, str], None],
    on_epoch: Callable[[EpochRecord], None],
    should_stop: Callable[[], bool],
) -> FitResult:
    """AdamW with linear warm-up; validate each epoch, stop after `patience` epochs without a better metric.

    Each epoch shuffles the `size` training items and `collate`s them `hp.batch_size` at a time; the schedule
    counts exactly those batches."""
    rng = random.Random(hp.seed)
    steps_per_epoch = max(1, math.ceil(size / hp.batch_size))
    torch.manual_seed(hp.seed)
    trainable = {n: p for n, p in net.named_parameters() if p.requires_grad}
    optimizer = torch.optim.AdamW(param_groups, weight_decay=hp.weight_decay)
    total = steps_per_epoch * hp.epochs
    scheduler = get_linear_schedule_with_warmup(optimizer, int(total * hp.warmup_ratio), total)

    result, best_value, best_state, waited, step = FitResult(), -math.inf, None, 0, 0
    for epoch in range(1, hp.epochs + 1):
        started, losses = time.monotonic(), []
        net.train()
        order = list(range(size))
        rng.shuffle(order)
        for start in range(0, size, hp.batch_size):
            batch = collate(order[start : start + hp.batch_size])
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


class TrainableModel:
    """What every engine model shares: `fit` runs the one loop over what the subclass provides, namely its
    `net`, `_param_groups(hp)`, `_training_set(train, hp)` -> (size, collate) and `_loss_function(hp)`."""

    net: torch.nn.Module

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
        size, collate = self._training_set(train, hp)
        return fit_loop(
            self.net, param_groups=self._param_groups(hp), size=size, collate=collate, loss_of=self._loss_function(hp),
            hp=hp, validation=validation, evaluate=evaluate, primary_metric=primary_metric, on_progress=on_progress,
            on_epoch=on_epoch, should_stop=should_stop,
        )
