"""The tasks of background jobs (Django's Tasks API), run by `manage.py db_worker`: thin wrappers over
jobs.services.job_run with what each kind builds."""

from django.tasks import task

from config.db_router import replica_reads
from jobs import builds
from jobs.choices import JobKind
from jobs.services import job_run


def _reading_replica(build):
    """`build` with its reads on the replica, if any, as an export on a page (config.db_router); the job's
    own row is read and written on the primary, outside it."""

    def run(*, job, progress):
        with replica_reads(user=job.created_by):
            return build(job=job, progress=progress)

    return run


@task()
def export_job(job_id: int) -> None:
    """Write the candidate export of a job's list (jobs.builds.candidate_workbook)."""
    job_run(job_id=job_id, build=_reading_replica(builds.candidate_workbook))


@task()
def pdf_batch_job(job_id: int) -> None:
    """Print the registration forms of a job's list as one zip (jobs.builds.registration_forms_zip)."""
    job_run(job_id=job_id, build=builds.registration_forms_zip)


TASK_OF_KIND = {JobKind.CANDIDATE_EXPORT: export_job, JobKind.REGISTRATION_FORMS: pdf_batch_job}
