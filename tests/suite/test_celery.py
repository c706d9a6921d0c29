"""Celery through the real broker and a real worker subprocess; no eager mode anywhere."""
import uuid

from suite.celery import QUEUES, app
from suite.tasks import worker_ping


def test_task_round_trip_through_real_broker_and_worker(celery_worker):
    token = uuid.uuid4().hex

    answer = worker_ping.delay(token).get(timeout=30)

    assert answer["token"] == token
    assert answer["worker"] == celery_worker.name
    assert answer["queue"] == "default"


def test_each_queue_is_consumed_by_the_worker(celery_worker):
    for queue in QUEUES:
        answer = worker_ping.apply_async(args=[queue], queue=queue).get(timeout=30)
        assert (answer["token"], answer["queue"]) == (queue, queue)


def test_tasks_are_routed_to_queues_by_name():
    def queue_of(name):
        return app.amqp.router.route({}, name)["queue"].name

    assert queue_of("summarizer.tasks.document_process") == "inference"
    assert queue_of("resumes.tasks.resume_parse") == "inference"
    assert queue_of("suite.ml.tasks.training_run_execute") == "training"
    assert queue_of("suite.ml.tasks.generative_training_run_execute") == "gpu"
    assert queue_of("annotation.tasks.export_build") == "default"
    assert queue_of("suite.tasks.worker_ping") == "default"


def test_celery_is_not_in_eager_mode():
    assert app.conf.task_always_eager is False
