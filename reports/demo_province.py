"""People for the rest of the province: the city's demo copied, in bulk, into the other cities' villages.

The benchmarks need about 110,000 active candidates "in the city's proportions": certifications at
every step, promotions, reserves, mentors and their visits, assessments, training, support and
contributions. Generating them person by person like the city demo would take an hour; copying the
city's records with one INSERT … SELECT per table takes seconds and keeps every proportion by
construction. Copy k of a record gets the key `id + k × stride` (stride: the table's largest key
plus one), so references between copied records stay references between copies of the same
copy. The village of copy k of Fushun's i-th village is the province's (k × 582 + i)-th other village,
so up to 19 copies land in distinct villages; beyond that (`--candidates 1000000`) villages hold
several copies.

What is not copied: villages' own records (star ratings, pairings: the other cities have their own
ratings and one pairing per village is a rule), reference data (courses, policies, standards), the
personal-data and import logs. The users who took the steps stay the city's users: the figures do not
read them.
"""

import datetime
import time
from collections import defaultdict

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection

from candidates.identity import check_digit
from candidates.models import Candidate
from villages.models import Region, Village

# The tables copied, in an order where each references only tables before it.
COPIED = (
    "candidates.Candidate",
    "villages.CommitteeSeat",
    "villages.Reserve",
    "candidates.Certification",
    "candidates.CertificationStep",
    "candidates.StandardCheck",
    "candidates.PublicNotice",
    "candidates.Objection",
    "candidates.Promotion",
    "candidates.PromotionDecision",
    "candidates.Elimination",
    "mentoring.Mentor",
    "mentoring.MentorAssignment",
    "mentoring.MentoringVisit",
    "mentoring.Assessment",
    "mentoring.Support",
    "mentoring.Enrolment",
    "mentoring.OnlineLearning",
    "mentoring.Contribution",
    "mentoring.Award",
    "mentoring.CollectiveProject",
)
REGION_MAP = "demo_copy_region"
COPIES = "demo_copy"


def copies_for(candidates: int, city_active: int) -> int:
    """How many copies of the city make about `candidates` active candidates with the city itself."""
    return max(0, round(candidates / city_active) - 1)


def copy_city(city: Region, *, into: list[str], candidates: int) -> dict:
    """Copy `city`'s people into the villages `into` (codes) until about `candidates` are active in the
    city and those villages together. Only the city's records are copied."""
    started = time.monotonic()
    city_active = Candidate.objects.active().filter(village__region__code__startswith=city.code[:4]).count()
    copies = copies_for(candidates, city_active)
    if not copies:
        return {"copies of the city": 0}
    sources = list(
        Village.objects.filter(region__code__startswith=city.code[:4])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    targets = sorted(into)
    with connection.cursor() as cursor:
        _create_maps(cursor, city, sources, targets, copies)
        strides, written = {}, 0
        for label in COPIED:
            written += _copy_table(cursor, apps.get_model(label), copies, strides)
        _give_id_numbers(cursor, copies)
        for sql in connection.ops.sequence_reset_sql(no_style(), [apps.get_model(m) for m in COPIED]):
            cursor.execute(sql)
        cursor.execute(f"DROP TABLE {REGION_MAP}")
        cursor.execute(f"DROP TABLE {COPIES}")
    return {
        "copies of the city": copies,
        "copied rows": written,
        "copying took": f"{time.monotonic() - started:.1f} s",
    }


def _create_maps(cursor, city: Region, sources: list[str], targets: list[str], copies: int) -> None:
    """Where copy k of each of the city's regions lands: its villages one by one, each township,
    county and the city itself where the first of its villages lands."""
    cursor.execute(f"CREATE TEMPORARY TABLE {COPIES} (k integer PRIMARY KEY)")
    cursor.executemany(f"INSERT INTO {COPIES} (k) VALUES (%s)", [(k,) for k in range(1, copies + 1)])
    cursor.execute(
        f"CREATE TEMPORARY TABLE {REGION_MAP} (k integer, source varchar(12), target varchar(12), "
        "PRIMARY KEY (k, source))"
    )
    parents = dict(Region.objects.values_list("code", "parent_id"))
    rows = []
    for k in range(1, copies + 1):
        placed = {}
        for i, source in enumerate(sources):
            target = targets[((k - 1) * len(sources) + i) % len(targets)]
            placed[source] = target
            # Up the tree: the first village of each region decides where the region lands.
            upper, landed = parents[source], parents[target]
            while upper and upper != city.parent_id and upper not in placed:
                placed[upper] = landed
                upper, landed = parents[upper], parents[landed]
        rows += [(k, source, target) for source, target in placed.items()]
    cursor.executemany(f"INSERT INTO {REGION_MAP} (k, source, target) VALUES (%s, %s, %s)", rows)


def _copy_table(cursor, model, copies: int, strides: dict) -> int:
    """One INSERT … SELECT writing every copy of `model`'s rows."""
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    cursor.execute(f"SELECT COALESCE(MAX({pk}), 0) + 1 FROM {table}")
    strides[model] = stride = cursor.fetchone()[0]
    columns, values, anchors = [], [], []
    for field in model._meta.concrete_fields:
        column = f"t.{quote(field.column)}"
        related = field.related_model if field.is_relation else None
        if field.primary_key and not related:
            value = f"{column} + c.k * {stride}"
        elif related in (Village, Region):
            value = f"(SELECT m.target FROM {REGION_MAP} m WHERE m.k = c.k AND m.source = {column})"
            if not field.null:
                anchors.append(f"{value} IS NOT NULL")
        elif related in strides:
            value = f"{column} + c.k * {strides[related]}"
            if not field.null:
                other, key = quote(related._meta.db_table), quote(related._meta.pk.column)
                anchors.append(f"EXISTS (SELECT 1 FROM {other} o WHERE o.{key} = {value})")
        elif field.unique and field.null:
            value = "NULL"  # a mentor's portal login belongs to the original alone
        elif model is Candidate and field.name == "id_number":
            value = f"'P' || (t.{pk} + c.k * {stride})"  # a placeholder, until _give_id_numbers
        else:
            value = column
        columns.append(quote(field.column))
        values.append(value)
    # Only the city's rows: those in its regions, or whose parent record was copied (the first such
    # reference suffices, and is the cheapest to check).
    cursor.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} "
        f"FROM {table} t CROSS JOIN {COPIES} c WHERE t.{pk} < {stride} AND {anchors[0]}"
    )
    return cursor.rowcount


def _give_id_numbers(cursor, copies: int) -> None:
    """Valid, unique ID numbers for the copies: the area code of the county they landed in, the
    original birth date and sex, and the next free sequence code for that area and date."""
    quote = connection.ops.quote_name
    table = quote(Candidate._meta.db_table)
    cursor.execute(f"SELECT id_number FROM {table} WHERE id_number NOT LIKE %s", ["P%"])
    used = defaultdict(set)
    for (number,) in cursor.fetchall():
        used[number[:14]].add(number[14:17])
    cursor.execute(
        f"SELECT id, village_id, birth_date, gender FROM {table} WHERE id_number LIKE %s ORDER BY id", ["P%"]
    )
    fixed = []
    for pk, village, birth_date, gender in cursor.fetchall():
        if isinstance(birth_date, str):
            birth_date = datetime.date.fromisoformat(birth_date)
        stem = f"{village[:6]}{birth_date:%Y%m%d}"
        taken = used[stem]
        odd = 1 if gender == "M" else 0
        sequence = next(f"{s:03d}" for s in range(odd, 1000, 2) if f"{s:03d}" not in taken)
        taken.add(sequence)
        fixed.append((pk, stem + sequence + check_digit(stem + sequence)))
    cursor.execute("CREATE TEMPORARY TABLE demo_copy_id (id integer PRIMARY KEY, id_number varchar(18))")
    if connection.vendor == "postgresql":
        with cursor.cursor.copy("COPY demo_copy_id (id, id_number) FROM STDIN") as copy:
            for row in fixed:
                copy.write_row(row)
    else:
        cursor.executemany("INSERT INTO demo_copy_id (id, id_number) VALUES (%s, %s)", fixed)
    cursor.execute(
        f"UPDATE {table} SET id_number = demo_copy_id.id_number FROM demo_copy_id "
        f"WHERE {table}.id = demo_copy_id.id"
    )
    cursor.execute("DROP TABLE demo_copy_id")
