"""Events of the model runtime other apps may listen to; suite.ml sends them and imports nobody.

Each is sent after the row it names is written (receivers defer their own work with transaction.on_commit).
"""
from django.dispatch import Signal

# snapshot: the DatasetSnapshot just frozen.
snapshot_frozen = Signal()
# run: the TrainingRun that just reached its last state (succeeded, failed or cancelled).
run_finished = Signal()
# move: the AliasMove just recorded (a gate's, a promotion's or a rollback's).
alias_moved = Signal()
