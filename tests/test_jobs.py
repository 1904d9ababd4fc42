"""Background jobs (issue 10): an export past the rows a user waits for, and printed registration forms,
built by a task; the job's page follows it, offers the file, says why it failed and starts it again.

Tasks run inside the request here (test settings: ImmediateBackend); the last test starts two real
`manage.py db_worker` processes on PostgreSQL's queue.
"""

import datetime
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from openpyxl import load_workbook

from jobs import builds, services
from jobs.choices import JobKind, JobState
from jobs.models import Job
from tests.factories import CandidateFactory, UserFactory, VillageFactory, benxi_township

ROOT = Path(__file__).resolve().parent.parent
EXPORT = reverse("candidates:candidate_export")
PRINT = reverse("jobs:pdf_batch_create")


@pytest.fixture
def township(db):
    """A township official of 本溪's first test township, five active people there, and two in the
    neighbouring township whom the official must never see."""
    official = UserFactory(jurisdiction=benxi_township(1))
    here, there = VillageFactory(township=benxi_township(1)), VillageFactory(township=benxi_township(2))
    people = [CandidateFactory(village=here, name=f"本乡{n}", active=True) for n in range(5)]
    CandidateFactory(village=here, name="本乡联系人")  # a prospect: filtered out by status=active
    others = [CandidateFactory(village=there, name=f"邻乡{n}", active=True) for n in range(2)]
    return {"user": official, "village": here, "people": people, "others": others}


def listed_names(client, query) -> list[str]:
    """The names on the candidate list, in its order, as the user sees it with `query`."""
    response = client.get(reverse("candidates:candidate_list"), query)
    return [record.name for record in response.context["table"].data.data]


def sheet_rows(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def test_an_export_past_the_limit_becomes_a_job_whose_file_holds_the_list(
    township, client_of, settings, monkeypatch
):
    settings.EXPORT_MAX_ROWS = 3
    monkeypatch.setattr(builds, "PROGRESS_EVERY", 2)
    steps = []
    record = services.job_progress
    monkeypatch.setattr(
        services, "job_progress", lambda **kw: steps.append((kw["done"], kw["total"])) or record(**kw)
    )
    client = client_of(township["user"])
    query = {"status": "active", "sort": "-name"}

    response = client.get(EXPORT, query)

    job = Job.objects.get(created_by=township["user"])
    assert response.status_code == 302 and response["Location"] == reverse("jobs:job_detail", args=[job.pk])
    assert job.kind == JobKind.CANDIDATE_EXPORT and job.state == JobState.DONE and job.attempts == 1
    # Progress was written as the rows went, and reached the total.
    assert steps == [(0, 5), (2, 5), (4, 5)]
    assert job.done == job.total == 5 and job.percent == 100
    status = client.get(reverse("jobs:job_status", args=[job.pk])).json()
    assert status["state"] == "done" and status["finished"] and status["percent"] == 100
    assert status["download_url"] == reverse("jobs:job_download", args=[job.pk])
    page = client.get(reverse("jobs:job_detail", args=[job.pk])).content.decode()
    assert status["download_url"] in page and "js/jobs.js" in page and "<script>" not in page

    download = client.get(status["download_url"])
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in download["Content-Disposition"]
    _header, *body = sheet_rows(b"".join(download.streaming_content))
    names = [row[0] for row in body]
    # The list's rows in the list's order; the neighbouring township's people are not in it.
    assert names == listed_names(client, query) == sorted((p.name for p in township["people"]), reverse=True)
    assert not {p.name for p in township["others"]} & set(names)
    cells = {str(value) for row in body for value in row}
    assert township["people"][0].masked_id_number in cells and township["people"][0].id_number not in cells


def test_an_export_within_the_limit_is_still_the_file_itself(township, client_of, settings):
    settings.EXPORT_MAX_ROWS = 5
    response = client_of(township["user"]).get(EXPORT, {"status": "active"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not Job.objects.filter(created_by=township["user"]).exists()


def test_the_job_runs_with_the_owners_jurisdiction_when_it_runs(township, settings):
    """A user moved to the neighbouring township before the worker took the job gets that township's
    people, not the ones the asking page showed."""
    owner = township["user"]
    job = Job.objects.create(
        created_by=owner, kind=JobKind.CANDIDATE_EXPORT, parameters={"query": "status=active"}
    )
    owner.jurisdiction = benxi_township(2)
    owner.save()
    services.job_run(job_id=job.pk, build=builds.candidate_workbook)
    job.refresh_from_db()
    assert sorted(row[0] for row in sheet_rows(bytes(job.result))[1:]) == sorted(
        p.name for p in township["others"]
    )


def test_a_job_is_its_owners_alone(township, client_of, settings, demo_user):
    settings.EXPORT_MAX_ROWS = 3
    client_of(township["user"]).get(EXPORT, {"status": "active"})
    job = Job.objects.get(created_by=township["user"])
    neighbour = UserFactory(jurisdiction=benxi_township(2))
    county = UserFactory(county_reviewer=True)  # the owner's own county: still not their job
    urls = [
        reverse(name, args=[job.pk]) for name in ("jobs:job_detail", "jobs:job_status", "jobs:job_download")
    ]
    for outsider in (neighbour, county):
        client = client_of(outsider)
        assert [client.get(url).status_code for url in urls] == [404, 404, 404]
        assert client.post(reverse("jobs:job_retry", args=[job.pk])).status_code == 404
        assert job not in client.get(reverse("jobs:job_list")).context["table"].data.data
    admin = client_of(demo_user("admin"))
    assert [admin.get(url).status_code for url in urls] == [200, 200, 200]
    own_list = client_of(township["user"]).get(reverse("jobs:job_list"))
    assert list(own_list.context["table"].data.data) == [job]


def test_a_failed_job_says_why_and_retry_runs_it_again(township, client_of, settings, monkeypatch):
    settings.EXPORT_MAX_ROWS = 3
    rows = builds.candidate_export_rows

    def broken(records):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(builds, "candidate_export_rows", broken)
    client = client_of(township["user"])
    client.get(EXPORT, {"status": "active"})
    job = Job.objects.get(created_by=township["user"])
    assert job.state == JobState.FAILED and "RuntimeError" in job.message and not job.result_name
    status = client.get(reverse("jobs:job_status", args=[job.pk])).json()
    assert status["state"] == "failed" and status["can_retry"] and not status["download_url"]
    page = client.get(reverse("jobs:job_detail", args=[job.pk])).content.decode()
    assert escape(job.message) in page and reverse("jobs:job_retry", args=[job.pk]) in page
    assert client.get(reverse("jobs:job_download", args=[job.pk])).status_code == 404

    monkeypatch.setattr(builds, "candidate_export_rows", rows)
    response = client.post(reverse("jobs:job_retry", args=[job.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("jobs:job_detail", args=[job.pk])
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.message == "" and job.attempts == 2
    assert len(sheet_rows(bytes(job.result))) == 1 + 5
    # A finished job is not started again.
    client.post(reverse("jobs:job_retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.attempts == 2


def test_a_stalled_job_may_be_started_again_and_its_lost_run_writes_nothing(township):
    owner = township["user"]
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    job = Job.objects.create(
        created_by=owner,
        kind=JobKind.CANDIDATE_EXPORT,
        parameters={"query": "status=active"},
        state=JobState.RUNNING,
        attempts=1,
        done=2,
        total=5,
        updated_at=long_ago,
    )
    assert job.is_stalled and job.can_retry
    services.job_retry(job=job, by=owner)
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.attempts == 2 and job.done == 5
    # The first run, given up for lost, wakes up: its writes name attempt 1 and change nothing.
    services.job_progress(job_id=job.pk, attempt=1, done=1, total=99)
    job.refresh_from_db()
    assert (job.state, job.done, job.total) == (JobState.DONE, 5, 5)


def test_a_job_delivered_twice_runs_once(township):
    job = Job.objects.create(
        created_by=township["user"], kind=JobKind.CANDIDATE_EXPORT, parameters={"query": ""}
    )
    for _ in range(2):
        services.job_run(job_id=job.pk, build=builds.candidate_workbook)
    job.refresh_from_db()
    # Both deliveries are counted; the second found the job done and left it alone.
    assert job.state == JobState.DONE and job.attempts == 2 and job.finished_at is not None


def test_the_forms_of_a_list_are_printed_as_one_zip(township, client_of):
    from pypdf import PdfReader

    # Two people of another village of the township (a PDF takes about a second).
    village = VillageFactory(township=benxi_township(1))
    people = [CandidateFactory(village=village, name=f"印表{n}", active=True) for n in range(2)]
    client = client_of(township["user"])
    response = client.post(f"{PRINT}?status=active&region={village.pk}")
    job = Job.objects.get(created_by=township["user"], kind=JobKind.REGISTRATION_FORMS)
    assert response["Location"] == reverse("jobs:job_detail", args=[job.pk])
    assert job.state == JobState.DONE, job.message
    assert job.done == job.total == 2
    download = client.get(reverse("jobs:job_download", args=[job.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = archive.namelist()
    assert len(names) == 2 and all(name.endswith(".pdf") for name in names)
    texts = [
        "".join(page.extract_text() for page in PdfReader(io.BytesIO(archive.read(n))).pages) for n in names
    ]
    # One form per person, each named after its person and holding their name.
    for person in people:
        assert [person.name in text for text in texts].count(True) == 1
        assert [person.name in name for name in names].count(True) == 1


def test_printing_forms_is_refused_past_the_cap_and_to_mentors(township, client_of, settings):
    settings.REGISTRATION_FORMS_MAX = 4
    client = client_of(township["user"])
    client.cookies["django_language"] = "en"
    response = client.post(f"{PRINT}?status=active", follow=True)
    assert response.redirect_chain[-1][0] == reverse("candidates:candidate_list") + "?status=active"
    assert "match 5 candidates; one batch prints at most 4 forms" in response.content.decode()
    assert not Job.objects.exists()
    assert client_of(UserFactory(mentor=True)).post(PRINT).status_code == 403


def test_the_list_offers_printing_to_the_offices_only(client_of, demo_user):
    button = reverse("jobs:pdf_batch_create")
    for username, offered in (("yushu", True), ("xinbin", True), ("city", True), ("mentor", False)):
        page = client_of(demo_user(username)).get(reverse("candidates:candidate_list"), {"status": "active"})
        assert (f'action="{button}?status=active"' in page.content.decode()) is offered, username


def test_my_jobs_costs_the_same_queries_however_many_jobs(township, client_of, django_assert_max_num_queries):
    owner = township["user"]
    client = client_of(owner)
    client.get(reverse("jobs:job_list"))  # the session's first queries
    for count in (1, 30):
        Job.objects.bulk_create(
            Job(created_by=owner, kind=JobKind.CANDIDATE_EXPORT, result=b"x" * 1000) for _ in range(count)
        )
        with django_assert_max_num_queries(6):
            assert client.get(reverse("jobs:job_list")).status_code == 200


# Two real workers ------------------------------------------------------------------------------------


def _worker(database_url: str, worker_id: str) -> subprocess.Popen:
    env = os.environ | {"DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    command = [
        sys.executable,
        "manage.py",
        "db_worker",
        "--backend=database",
        "--max-tasks=5",
        "--interval=0.1",
        "--no-startup-delay",
        "--no-reload",
        f"--worker-id={worker_id}",
    ]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


@pytest.mark.django_db(transaction=True)
def test_two_workers_take_each_job_exactly_once(postgresql_only):
    """Two `manage.py db_worker` processes on one queue, ten jobs: each worker stops after five tasks, so
    all ten are done only if each job was taken once; every job counts one attempt."""
    from django_tasks_db.models import DBTaskResult

    owner = UserFactory()
    village = VillageFactory()
    for n in range(20):
        CandidateFactory(village=village, name=f"并发{n}", active=True)
    jobs = [
        services.job_create(
            by=owner, kind=JobKind.CANDIDATE_EXPORT, parameters={"query": "status=active"}, backend="database"
        )
        for _ in range(10)
    ]
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    workers = [_worker(database_url, f"worker-{n}") for n in (1, 2)]
    try:
        outputs = [worker.communicate(timeout=180)[0] for worker in workers]
    finally:
        for worker in workers:
            worker.kill()
    assert [worker.returncode for worker in workers] == [0, 0], outputs

    done = Job.objects.filter(pk__in=[job.pk for job in jobs])
    assert [(job.state, job.attempts, job.done) for job in done] == [(JobState.DONE, 1, 20)] * 10
    tasks = DBTaskResult.objects.filter(id__in=[job.task_result_id for job in done])
    assert sorted(task.status for task in tasks) == ["SUCCESSFUL"] * 10
    taken_by = sorted(worker for task in tasks for worker in task.worker_ids)
    assert taken_by == ["worker-1"] * 5 + ["worker-2"] * 5
