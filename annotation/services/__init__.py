"""Writes of the annotation app, one room per concern: flags open tasks, annotators answer (queue), reviewers decide
(review), datasets freeze (snapshots), models suggest (preannotation), files come in and go out (imports, exports).

Callers in other apps keep `from annotation import services; services.flag_create(...)`; inside this app, import
from the room itself.
"""

from annotation.services.audit import task_input_unmasked
from annotation.services.exports import (
    EXPORT_FILTERS,
    annotations_export,
    export_filters_clean,
    export_job_build,
    export_job_create,
)
from annotation.services.flags import flag_create, project_for_kind
from annotation.services.imports import (
    annotations_import,
    annotations_import_upload,
    import_report_lines,
    import_source,
    items_import,
)
from annotation.services.preannotation import preannotation_run, preannotation_start
from annotation.services.queue import (
    DIVERSITY_WINDOW,
    QUEUE_READS,
    annotation_submit,
    queue_confidence,
    task_next,
    task_skip,
)
from annotation.services.review import annotation_review, task_adjudicate
from annotation.services.snapshots import snapshot_freeze
from annotation.services.validation import import_feedback_type, import_item_problem
