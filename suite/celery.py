"""The Celery app: four queues, routes by task name, and a heartbeat each worker writes for /healthz."""
import os

from celery import Celery
from kombu import Exchange, Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suite.settings")

app = Celery("suite")
app.config_from_object("django.conf:settings", namespace="CELERY")

QUEUES = ("default", "inference", "training", "gpu")

# Glob patterns over task names, first match wins. Generative training needs the GPU worker.
TASK_ROUTES = {
    "suite.ml.tasks.generative_*": {"queue": "gpu"},
    "suite.ml.tasks.training_*": {"queue": "training"},
    "suite.ml.tasks.*": {"queue": "default"},
    "summarizer.tasks.*": {"queue": "inference"},
    "resumes.tasks.*": {"queue": "inference"},
    "annotation.tasks.*": {"queue": "default"},
}

app.conf.task_queues = [Queue(name, Exchange(name, type="direct"), routing_key=name) for name in QUEUES]
app.conf.task_default_queue = "default"
app.conf.task_default_exchange = "default"
app.conf.task_default_routing_key = "default"
app.conf.task_routes = (TASK_ROUTES,)
app.autodiscover_tasks()
