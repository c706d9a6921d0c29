"""Annotation pages, one room per concern, as the services are split: the queue (queue), the annotate screen
(annotate), review (review), the dashboard (dashboard), imports (imports) and webhooks (webhooks); shown holds how
a task's input is put in a template's shape. Reads come from annotation.selectors, writes go to annotation.services.

Personal inputs are shown as `selectors.task_input_for` gives them (masked for everyone but their owner).
"""
