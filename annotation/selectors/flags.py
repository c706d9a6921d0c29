"""Reads for flagging: the model output a person may flag (their own; staff any)."""
from django.shortcuts import get_object_or_404

from suite import access
from suite.ml.models import ModelOutput


def output_for_flag(*, user, pk: int) -> ModelOutput:
    """An output `user` saw (staff: any output); 404 for anyone else's, as if it did not exist."""
    outputs = ModelOutput.objects.all()
    if access.is_staff(user):
        return get_object_or_404(outputs, pk=pk)
    return access.get_owned_or_404(outputs, user, pk=pk)
