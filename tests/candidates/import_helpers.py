"""Helpers of the import tests: real .xlsx files of valid people, and the refusals they meet.

Messages are compared with the zh-hans catalogue (`zh(...)`), so a test names the message it expects
in the language the clerk reads; the row and column are the ones Excel shows.
"""

import datetime
import itertools
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext

from candidates import imports
from candidates.choices import Education, PoliticalStatus, Recommender, Source
from candidates.identity import synthetic_id_number
from candidates.models import Candidate, Certification, ImportBatch
from villages.models import Village

H = imports.HEADERS
NAME, GENDER, ETHNICITY, ID_NUMBER, PHONE = H[:5]
EDUCATION, POLITICAL_STATUS, SOURCE, VILLAGE_CODE, INDUSTRY, INCOME, RECOMMENDER, REASON = H[5:]
BIRTH_DATE = imports.BIRTH_DATE

# People of the tests are born in 东城区, Beijing (110101): no demo record has such an ID number.
_serials = itertools.count()


def zh(msgid: str, **params) -> str:
    """The message as a clerk reads it: the zh-hans translation, with its parameters."""
    with translation.override("zh-hans"):
        message = gettext(msgid)
    return message % params if params else message


def label(choice) -> str:
    """A choice's label as the clerk writes it, in Chinese."""
    with translation.override("zh-hans"):
        return str(choice.label)


def new_id_number(*, male: bool = True, born: datetime.date | None = None) -> str:
    """A valid ID number no candidate has."""
    while True:
        n = next(_serials)
        birth = born or datetime.date(1980, 1, 1) + datetime.timedelta(days=n // 400)
        number = synthetic_id_number("110101", birth, n % 400, male)
        if not Candidate.objects.filter(id_number=number).exists():
            return number


def hongshi() -> Village:
    """红石村, a village of yushu's township."""
    return Village.objects.get(region__name="红石村")


def person(**cells) -> dict:
    """A valid row for yushu (红石村, 榆树乡), with `cells` replacing some of its values."""
    row = {
        NAME: "王大勇",
        GENDER: "男",
        ETHNICITY: "满族",
        ID_NUMBER: None,
        PHONE: "13904131234",
        EDUCATION: label(Education.SENIOR_HIGH),
        POLITICAL_STATUS: label(PoliticalStatus.MASSES),
        SOURCE: label(Source.GROWER),
        VILLAGE_CODE: hongshi().pk,
        INDUSTRY: "食用菌",
        INCOME: 8.5,
        RECOMMENDER: label(Recommender.VILLAGE_ORGANISATION),
        REASON: "带头种植食用菌，带动农户增收",
    }
    row.update(cells)
    if row[ID_NUMBER] is None:
        row[ID_NUMBER] = new_id_number(male=row[GENDER] in ("男", "M"))
    return row


def workbook(tmp_path: Path, rows: list, headers=H, name: str = "名单.xlsx") -> Path:
    """An .xlsx file as Excel writes it: the header row, then `rows` (dicts by header, lists, or None
    for an empty row)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        if row is None:
            sheet.append([])
        elif isinstance(row, dict):
            sheet.append([row.get(header) for header in headers])
        else:
            sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def counts() -> tuple[int, int]:
    """How many candidates and certifications there are."""
    return Candidate.objects.count(), Certification.objects.count()


def refused(user, path: Path) -> list[tuple]:
    """Upload and confirm `path`; it must be refused with nothing written. Returns the errors."""
    before = counts()
    batch = imports.batch_store(by=user, uploaded_file=SimpleUploadedFile(path.name, path.read_bytes()))
    with pytest.raises(imports.ImportRefused) as refusal:
        imports.candidates_import(by=user, batch=batch)
    assert counts() == before
    assert ImportBatch.objects.get(pk=batch.pk).state == ImportBatch.State.PREVIEWED
    return refusal.value.errors
