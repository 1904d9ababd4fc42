"""Permission-matrix rows of training: courses, enrolments, the university cohorts, online learning and its
import (see tests/matrix/__init__.py)."""

import datetime

from accounts.models import User
from candidates.models import ImportBatch
from mentoring import online_import, online_preview
from mentoring.models import Course, Enrolment, OnlineLearning
from tests.matrix.table import COUNTIES, TOWNSHIPS, USERS, everyone, rights, scoped

# Who enters courses and imports online hours (can_keep_training, can_import_online_learning).
KEEPERS = TOWNSHIPS | COUNTIES | {"city"}


def _only(allowed):
    return {user: 302 if user == "anonymous" else 200 if user in allowed else 403 for user in USERS}


# Courses are the programme's: everyone signed in reads them, whoever's course it is; who took them is
# scoped. The enrolment page is for the townships and counties (can_enrol_candidates); completion for the
# township or county of the person (can_enrol). An import batch is its uploader's: 千金乡's here.
PORTAL = {
    "mentoring:course_list": everyone(200),
    "mentoring:course_export": everyone(200),
    "mentoring:course_create": _only(KEEPERS),
    "mentoring:course_detail": everyone(200),
    "mentoring:enrolment_create": _only(TOWNSHIPS | COUNTIES),
    "mentoring:enrolment_complete": scoped(who=TOWNSHIPS | COUNTIES),
    "mentoring:cohort_list": everyone(200),
    "mentoring:cohort_export": everyone(200),
    "mentoring:online_learning_list": everyone(200),
    "mentoring:online_learning_export": everyone(200),
    "mentoring:online_import_upload": _only(KEEPERS),
    "mentoring:online_import_template": _only(KEEPERS),
    "mentoring:online_import_preview": {
        u: 302 if u == "anonymous" else 200 if u == "qianjin" else 404 if u in KEEPERS else 403 for u in USERS
    },
}
ARGS = {
    "mentoring:course_detail": lambda objects: {"pk": objects["mentoring.course"].pk},
    "mentoring:enrolment_create": lambda objects: {"pk": objects["mentoring.course"].pk},
    "mentoring:enrolment_complete": lambda objects: {"pk": objects["mentoring.enrolment"].pk},
    "mentoring:online_import_preview": lambda objects: {"pk": objects["hours_batch"].pk},
}


ADMIN = {
    "mentoring.course": rights("v", "v", "vac"),
    "mentoring.enrolment": rights("v", "v", "v", admin="v"),
    "mentoring.onlinelearning": rights("v", "v", "v", admin="v"),
}
PROGRAMME_MODELS = {"mentoring.course"}


def objects(place, village, found) -> dict:
    """A course (named after the place; courses belong to no place), the place's candidate enrolled in it,
    their online hours of a month, and a checked upload of online hours by 千金乡."""
    candidate = found["candidate"]
    city = User.objects.get(username="city")
    course = Course.objects.create(
        name=f"{place}矩阵测试培训班",
        organiser="抚顺市委组织部",
        level="city",
        start_date=datetime.date(2024, 5, 6),
        end_date=datetime.date(2024, 5, 10),
        hours=40,
        created_by=city,
    )
    enrolment = Enrolment.objects.create(course=course, candidate=candidate, enrolled_by=city)
    hours, _created = OnlineLearning.objects.update_or_create(
        candidate=candidate, month=datetime.date(2024, 5, 1), defaults={"hours": 12, "imported_by": city}
    )
    qianjin = User.objects.get(username="qianjin")
    content = f"{online_import.ID_NUMBER},{online_import.MONTH},{online_import.HOURS}\n".encode()
    check = online_import.check_hours_file(by=qianjin, content=content)
    batch = ImportBatch.objects.create(
        uploaded_by=qianjin,
        kind=ImportBatch.Kind.ONLINE_LEARNING,
        filename="学时.csv",
        content=content,
        preview=online_preview.HoursPreview.of(check).as_json(),
    )
    return {
        "mentoring.course": course,
        "mentoring.enrolment": enrolment,
        "mentoring.onlinelearning": hours,
        "hours_batch": batch,
    }
