"""Every import of the portal, given malformed and hostile files (issue 12), proven with hypothesis.

The imports: the candidate spreadsheet (the web upload /candidates/import/ with its preview, and
`manage.py import_candidates`) and the monthly online-learning hours (/mentoring/online/import/, .xlsx or
CSV). The files are real workbooks written with openpyxl from hypothesis strategies: good rows with some
cells replaced by odd types, 20,000 characters, control characters (written raw into the sheet's XML, where
Excel would never put them), formulas, dates as text, 18-digit ID numbers as floats, wrong check digits;
wrong, repeated and missing headers; extra sheets, merged cells. And bytes that are no workbook: random
bytes, a workbook cut short, an old .xls, CSV text named .xlsx, a zip without a workbook or with broken
XML, a small zip that unpacks to far more than the limit.

Properties: never a 500; a file with any error writes nothing (the database's fingerprint, every table's
row count and rows, is the same after confirming it); every refusal is in Chinese.
"""

import datetime
import functools
import io
import zipfile
from contextlib import contextmanager

import openpyxl
import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import User
from candidates.models import Candidate, ImportBatch
from mentoring import online_import
from mentoring.models import OnlineLearning
from tests.candidates.import_helpers import ID_NUMBER, H, person
from tests.hostile import (
    DATES,
    FORMULAS,
    NUMBERS,
    assert_chinese,
    changes,
    control_text,
    fingerprint,
    hostile_settings,
    judge,
    long_text,
    rolled_back,
    text,
    writes_seen,
)

pytestmark = pytest.mark.django_db

# Control characters go into the sheet's XML raw, after openpyxl (which refuses them) wrote a marker.
_RAW = "QQRAW{:02x}QQ"
_CONTROL_CHARACTERS = [0x00, 0x01, 0x08, 0x0B, 0x0C, 0x1B, 0x1F]


def _bad_checksum(number: str) -> str:
    return number[:-1] + ("0" if number[-1] != "0" else "1")


# Cells ----------------------------------------------------------------------------------------------------

# What a cell may hold instead of a good value; "id:…" values are made from the row's own ID number.
hostile_cell = st.one_of(
    st.none(),
    text,
    control_text,
    long_text,
    st.sampled_from(DATES + FORMULAS + NUMBERS + ["", " ", "　", "#N/A", "#REF!", "TRUE", "_x0000_"]),
    st.sampled_from([f"raw:{c}" for c in _CONTROL_CHARACTERS]),
    st.sampled_from(["id:float", "id:checksum", "id:short", "id:x-lower", "id:spaced", "id:formula-string"]),
    st.sampled_from(['formula:=HYPERLINK("http://x","y")', "formula:=1/0", "formula:=A1"]),
    st.integers(-(2**63), 2**63),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.datetimes(datetime.datetime(1900, 1, 1), datetime.datetime(9999, 12, 31)),
    st.dates(datetime.date(1900, 1, 1), datetime.date(9999, 12, 31)),
    st.times(),
)


def _cell(value, row: dict):
    """The value to write for a planned cell; raw control characters become markers for _raw()."""
    if isinstance(value, str):
        number = row.get(ID_NUMBER) or "210422198503041234"
        if value.startswith("id:"):
            return {
                "id:float": float(number[:-1] + "0") if number[:-1].isdigit() else 2.10422198503041e17,
                "id:checksum": _bad_checksum(number),
                "id:short": number[:15],
                "id:x-lower": number[:-1] + "x",
                "id:spaced": f"{number[:6]} {number[6:14]} {number[14:]}",
                "id:formula-string": f"={number}",
            }[value]
        if value.startswith("raw:"):
            return f"a{_RAW.format(int(value[4:]))}b"
        # Characters XML cannot hold at all go in raw as well.
        return "".join(_RAW.format(ord(c)) if ord(c) < 32 and c not in "\t\n\r" else c for c in value)
    return value


def _raw(content: bytes) -> bytes:
    """The workbook with its markers replaced by the raw control characters they stand for."""
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if b"QQRAW" in data:
                for code in range(32):
                    data = data.replace(_RAW.format(code).encode(), bytes([code]))
            out.writestr(item, data)
    return target.getvalue()


# Workbooks ------------------------------------------------------------------------------------------------


@st.composite
def headers(draw, names: tuple[str, ...], optional: tuple[str, ...] = ()):
    """The header row: the template's, or one with a column missing, repeated, renamed or added."""
    row = list(names)
    mutations = ["missing", "repeated", "unknown", "shuffled", "full-width", "optional", "spaced"]
    # Mostly the template's header, so that most files get to their rows.
    for mutation in draw(
        st.one_of(st.just([]), st.just([]), st.lists(st.sampled_from(mutations), max_size=2))
    ):
        index = draw(st.integers(0, len(row) - 1))
        if mutation == "missing":
            row[index] = None
        elif mutation == "repeated":
            row.append(row[index])
        elif mutation == "unknown":
            row.append(draw(st.one_of(text, st.sampled_from(FORMULAS), st.integers())))
        elif mutation == "shuffled":
            row = draw(st.permutations(row))
        elif mutation == "full-width" and row[index]:
            row[index] = row[index].replace("(", "（").replace(")", "）") + "　"
        elif mutation == "optional" and optional:
            row.append(optional[0])
        elif mutation == "spaced" and row[index]:
            row[index] = " ".join(row[index])
    return row


@st.composite
def sheets(draw, names: tuple[str, ...], optional: tuple[str, ...] = ()):
    """A plan of a workbook: its header, its rows as {column: hostile value} replacing some good values,
    and its oddities."""
    header = draw(headers(names, optional))
    rows = draw(
        st.lists(
            st.one_of(
                st.dictionaries(st.sampled_from(names + optional), hostile_cell, max_size=3),
                st.just(None),  # an empty row
                st.just("same"),  # the previous person again
            ),
            min_size=1,
            max_size=4,
        )
    )
    oddities = ["sheet before", "sheet after", "merged", "blank rows above", "title row"]
    extras = draw(st.one_of(st.just(set()), st.just(set()), st.sets(st.sampled_from(oddities), max_size=2)))
    return header, rows, extras


def workbook(header: list, rows: list[list], extras: set) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    if "blank rows above" in extras:
        sheet.append([])
        sheet.append([])
    if "title row" in extras:
        sheet.append(["培养对象名单"])
    header = [_cell(h, {}) if isinstance(h, str) else h for h in header]
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for column, values in enumerate(zip(*rows, strict=False), start=1) if rows else []:
        for index, value in enumerate(values):
            if isinstance(value, str) and value.startswith("formula:"):
                sheet.cell(row=sheet.max_row - len(rows) + 1 + index, column=column, value=value[8:])
            elif isinstance(value, str) and value.startswith("="):
                cell = sheet.cell(row=sheet.max_row - len(rows) + 1 + index, column=column)
                cell.value, cell.data_type = value, "s"  # a string that looks like a formula
    if "merged" in extras and sheet.max_row > 1:
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=3)
    if "sheet before" in extras:
        other = book.create_sheet("说明", 0)
        other.append(["这是说明", 1, None])
    if "sheet after" in extras:
        book.create_sheet("Sheet2").append(header)
    content = io.BytesIO()
    book.save(content)
    return _raw(content.getvalue())


def _rows(plan_rows: list, good_row, names: tuple[str, ...]) -> tuple[list[list], list[str]]:
    """The rows of a plan as cell values in the order of `names`, and every value written (as text)."""
    rows, written, previous = [], [], None
    for plan in plan_rows:
        if plan is None:
            rows.append([])
            continue
        good = previous if plan == "same" and previous is not None else good_row()
        previous = good
        cells = dict(good)
        if isinstance(plan, dict):
            for name, value in plan.items():
                cells[name] = _cell(value, good)
        rows.append([cells.get(name) for name in names])
    for row in rows:
        written += [str(v) for v in row if v is not None]
    return rows, written


def _ordered(rows: list[list], names: tuple[str, ...], header: list) -> list[list]:
    """Rows of cells by `names`, laid out under `header` (a missing or unknown column stays empty)."""
    index = {name: i for i, name in enumerate(names)}
    return [[row[index[h]] if h in index and row else None for h in header] if row else [] for row in rows]


# Bytes that are no workbook -------------------------------------------------------------------------------


@functools.cache
def _good_workbook() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(list(H))
    content = io.BytesIO()
    book.save(content)
    return content.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    content = io.BytesIO()
    with zipfile.ZipFile(content, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return content.getvalue()


def _broken_xml() -> bytes:
    source = zipfile.ZipFile(io.BytesIO(_good_workbook()))
    members = {name: source.read(name) for name in source.namelist()}
    members["xl/worksheets/sheet1.xml"] = members["xl/worksheets/sheet1.xml"][:200]
    return _zip(members)


@st.composite
def not_workbooks(draw):
    """(file name, bytes) of something that is not a readable .xlsx."""
    good = _good_workbook()
    kind = draw(
        st.sampled_from(
            ["random", "truncated", "xls", "csv", "csv-gb18030", "zip", "broken xml", "empty", "xml", "html"]
        )
    )
    if kind == "random":
        content = draw(st.binary(min_size=1, max_size=4096))
    elif kind == "truncated":
        content = good[: draw(st.integers(1, len(good) - 1))]
    elif kind == "xls":
        content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + draw(st.binary(max_size=512))
    elif kind in ("csv", "csv-gb18030"):
        lines = [",".join(H), ",".join(draw(st.lists(text, min_size=13, max_size=13)))]
        content = "\r\n".join(lines).encode("utf-8" if kind == "csv" else "gb18030", errors="replace")
    elif kind == "zip":
        content = _zip({draw(st.sampled_from(["a.txt", "xl/other.xml", "[Content_Types].xml"])): b"x" * 100})
    elif kind == "broken xml":
        content = _broken_xml()
    elif kind == "empty":
        content = b""
    elif kind == "xml":
        content = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaa">]><x>&a;</x>'
    else:
        content = "<html><body>表格</body></html>".encode()
    name = draw(
        st.sampled_from(["名单.xlsx", "名单.XLSX", "名单", "名单.csv", "a.xls", ".xlsx", "名单.xlsx.exe"])
    )
    return name, content


def bomb() -> bytes:
    """A small zip (a few kB) that unpacks to more than the import's limit (6 MB, in a test of 100 kB)."""
    return _zip(
        {
            "[Content_Types].xml": b"<x/>",
            "xl/workbook.xml": b"<x/>",
            "xl/worksheets/sheet1.xml": b" " * 6_000_000,
        }
    )


# The candidate import, on the web ---------------------------------------------------------------------------


def _client(username: str) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=username))
    return client


def _upload(client, url: str, name: str, content: bytes, echoed) -> str | None:
    """Upload a file; the preview's address, or None when the upload is refused (and nothing is kept)."""
    before, batches = fingerprint(), ImportBatch.objects.count()
    response = client.post(url, {"file": SimpleUploadedFile(name, content)})
    if response.status_code == 302:
        return response.url
    assert judge(response, before, fingerprint(), echoed=echoed), "an upload neither kept nor refused"
    assert ImportBatch.objects.count() == batches, "a refused upload was kept"
    return None


def _preview_and_confirm(client, preview_url: str, echoed, *, errors_key: str) -> bool:
    """Look at the preview, then confirm it. A preview with errors must write nothing when confirmed, and
    every error must be in Chinese. Returns whether the file was refused."""
    response = client.get(preview_url)
    assert response.status_code == 200
    errors = _errors(response, errors_key)
    for error in errors:
        assert_chinese(error.message, echoed)
    before = fingerprint()
    with writes_seen() as written:
        response = client.post(preview_url)
    after = fingerprint()
    assert response.status_code != 500
    if errors:
        # Counts catch rows added (by COPY too); the statements, rows changed in place.
        assert not written, f"confirming a file with errors ran writes to {written}"
        assert response.status_code == 200
        assert judge(
            response,
            before,
            after,
            echoed=echoed,
            extra_errors=[e.message for e in _errors(response, errors_key)],
        )
        return True
    assert response.status_code == 302, "a file without errors was not imported"
    assert changes(before, after), "a file without errors wrote nothing"
    return False


def _errors(response, key: str) -> list:
    if key == "preview":
        preview = response.context.get("preview")
        return list(preview.errors) if preview is not None else []
    return list(response.context.get("errors") or [])


@hostile_settings(max_examples=30)
@given(plan=sheets(H))
def test_a_hostile_candidate_workbook_is_refused_in_chinese_and_writes_nothing(plan):
    header, plan_rows, extras = plan
    rows, written = _rows(plan_rows, person, H)
    content = workbook(header, _ordered(rows, H, header), extras)
    echoed = written + [str(h) for h in header if h is not None]
    client = _client("yushu")
    with rolled_back():
        preview = _upload(client, reverse("candidates:import_upload"), "名单.xlsx", content, echoed)
        if preview is not None:
            _preview_and_confirm(client, preview, echoed, errors_key="errors")


@hostile_settings(max_examples=20)
@given(upload=not_workbooks())
def test_bytes_that_are_no_workbook_are_refused_in_chinese_and_kept_nowhere(upload):
    name, content = upload
    client = _client("yushu")
    with rolled_back():
        for url, errors_key in (
            (reverse("candidates:import_upload"), "errors"),
            (reverse("mentoring:online_import_upload"), "preview"),
        ):
            preview = _upload(client, url, name, content, echoed=[name])
            if (
                preview is not None
            ):  # an .xlsx that cannot be read, or CSV for the hours: refused at its preview
                assert _preview_and_confirm(client, preview, [name], errors_key=errors_key)


def test_a_small_zip_that_unpacks_to_too_much_is_refused_unread(settings):
    settings.IMPORT_MAX_BYTES = 100_000
    content = bomb()
    assert len(content) < 20_000
    client = _client("yushu")
    for url in (reverse("candidates:import_upload"), reverse("mentoring:online_import_upload")):
        before = fingerprint()
        response = client.post(url, {"file": SimpleUploadedFile("名单.xlsx", content)})
        assert response.status_code == 200
        assert judge(response, before, fingerprint())


# The candidate import, on the command line -----------------------------------------------------------------


@contextmanager
def _no_language_activated():
    """As `manage.py` runs a command: no language activated, so the portal's default one speaks."""
    translation.deactivate()
    try:
        yield
    finally:
        translation.activate(django_settings.LANGUAGE_CODE)


@hostile_settings(max_examples=10)
@given(plan=sheets(H), junk=st.one_of(st.none(), not_workbooks()))
def test_the_import_command_refuses_a_hostile_file_in_chinese_and_writes_nothing(
    plan, junk, tmp_path_factory
):
    header, plan_rows, extras = plan
    rows, written = _rows(plan_rows, person, H)
    content = workbook(header, _ordered(rows, H, header), extras) if junk is None else junk[1]
    path = tmp_path_factory.mktemp("import") / "名单.xlsx"
    path.write_bytes(content)
    output = io.StringIO()
    with rolled_back(), _no_language_activated():
        before = fingerprint()
        try:
            call_command("import_candidates", str(path), user="yushu", stdout=output)
        except CommandError as refusal:
            assert not changes(before, fingerprint()), "a refused file wrote"
            assert_chinese(str(refusal), written)
            for line in output.getvalue().splitlines():
                # `row N, column: message` (DESIGN §9): the message is the clerk's.
                message = line.split(": ", 1)[1] if line.startswith("row ") else line
                assert_chinese(message, written + [str(h) for h in header if h is not None])
        else:
            assert changes(before, fingerprint()), "an accepted file wrote nothing"


# The online-learning hours --------------------------------------------------------------------------------


HOURS_HEADERS = online_import.HEADERS
HOURS_OPTIONAL = online_import.OPTIONAL_HEADERS


@pytest.fixture
def learners(demo_user):
    """Active candidates of 榆树乡, the importer's township, without hours in 2019."""
    found = list(Candidate.objects.visible_to(demo_user("yushu")).active().order_by("pk")[:6])
    OnlineLearning.objects.filter(candidate__in=found, month__year=2019).delete()
    return found


def _hours_row(learners):
    serial = iter(range(10**6))

    def row():
        n = next(serial)
        return {
            online_import.ID_NUMBER: learners[n % len(learners)].id_number,
            online_import.MONTH: f"2019-{n // len(learners) % 12 + 1:02d}",
            online_import.HOURS: 12.5,
            online_import.NAME: learners[n % len(learners)].name,
        }

    return row


def _csv(header: list, rows: list[list], encoding: str, delimiter: str) -> bytes:
    def cell(value):
        value = "" if value is None else str(value)
        for code in range(32):
            value = value.replace(_RAW.format(code), chr(code))
        return '"' + value.replace('"', '""') + '"' if delimiter in value or '"' in value else value

    lines = [delimiter.join(cell(h) for h in header)] + [delimiter.join(cell(v) for v in row) for row in rows]
    return "\r\n".join(lines).encode(encoding, errors="replace")


@hostile_settings(max_examples=30)
@given(
    plan=sheets(HOURS_HEADERS, HOURS_OPTIONAL),
    form=st.sampled_from(["xlsx", "csv", "csv-gb18030", "csv-bom", "tsv"]),
)
def test_a_hostile_file_of_hours_is_refused_in_chinese_and_writes_nothing(plan, form, learners):
    header, plan_rows, extras = plan
    names = HOURS_HEADERS + HOURS_OPTIONAL
    rows, written = _rows(plan_rows, _hours_row(learners), names)
    rows = _ordered(rows, names, header)
    if form == "xlsx":
        name, content = "学时.xlsx", workbook(header, rows, extras)
    else:
        encoding = {"csv-gb18030": "gb18030", "csv-bom": "utf-8-sig"}.get(form, "utf-8")
        name, content = "学时.csv", _csv(header, rows, encoding, "\t" if form == "tsv" else ",")
    echoed = written + [str(h) for h in header if h is not None]
    client = _client("yushu")
    with rolled_back():
        preview = _upload(client, reverse("mentoring:online_import_upload"), name, content, echoed)
        if preview is not None:
            _preview_and_confirm(client, preview, echoed, errors_key="preview")


def test_the_generators_reach_every_outcome(learners):
    """The strategies above make files that import as well as files that are refused (so that the
    properties are about files that get that far)."""
    good = [person(), person()]
    content = workbook(list(H), [[row[h] for h in H] for row in good], set())
    client = _client("yushu")
    with rolled_back():
        preview = _upload(client, reverse("candidates:import_upload"), "名单.xlsx", content, [])
        assert not _preview_and_confirm(client, preview, [], errors_key="errors")
    row = _hours_row(learners)
    hours = [[r[h] for h in HOURS_HEADERS] for r in (row(), row())]
    for name, content in (
        ("学时.xlsx", workbook(list(HOURS_HEADERS), hours, set())),
        ("学时.csv", _csv(list(HOURS_HEADERS), hours, "utf-8", ",")),
    ):
        with rolled_back():
            preview = _upload(client, reverse("mentoring:online_import_upload"), name, content, [])
            assert not _preview_and_confirm(client, preview, [], errors_key="preview")
