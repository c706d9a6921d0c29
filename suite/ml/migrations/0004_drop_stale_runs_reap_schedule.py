"""The beat's stale-run reaper became the jobs sweep (suite.tasks.jobs_sweep, for every job model); the database
scheduler keeps entries it no longer has in settings, so the old one is removed here rather than calling a task
that no longer exists every minute."""
from django.db import migrations


def drop(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task="suite.ml.tasks.stale_runs_reap").delete()


class Migration(migrations.Migration):
    dependencies = [("ml", "0003_run_attempts_queued_at"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(drop, migrations.RunPython.noop)]
