"""Reads of the annotation app, with their rules, one room per concern: what a person may see of a task and the
queues (tasks), training examples (examples), export rows and jobs (exports), the dashboard's numbers (dashboard),
the webhooks page (webhooks).

Callers outside this app keep `from annotation import selectors`; inside it, import from the room.
"""

from annotation.selectors.dashboard import annotation_dashboard
from annotation.selectors.examples import accepted_examples, annotation_examples
from annotation.selectors.flags import output_for_flag
from annotation.selectors.exports import export_job_get, export_rows, export_task_ids
from annotation.selectors.tasks import (
    annotation_get,
    item_in_progress,
    queue_overview,
    review_kinds,
    review_queue,
    task_assigned_to,
    task_get,
    task_input_for,
    task_is_masked_for,
    task_recent_flags,
    task_value_for,
)
from annotation.selectors.webhooks import webhook_deliveries, webhook_get, webhook_list
