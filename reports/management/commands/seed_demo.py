import random
import time

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts.demo import create_demo_users, create_province_users, create_staff_users
from candidates import demo as candidate_demo
from candidates import demo_ladder as ladder_demo
from candidates.models import Candidate, Certification, Elimination
from mentoring import demo as mentoring_demo
from mentoring import demo_growth as growth_demo
from reports import demo_province, rollups
from villages import demo as village_demo
from villages.choices import RegionLevel
from villages.models import CommitteeSeat, Region, Reserve

# Apps whose rows the demo replaces: the portal's own (background jobs included), and the admin log,
# sessions and login counts that refer to users.
ERASED_APPS = {
    "accounts",
    "villages",
    "candidates",
    "mentoring",
    "reports",
    "jobs",
    "admin",
    "sessions",
    "axes",
}
# Reference data that migrations and administrators keep: the demo leaves it alone.
KEPT_MODELS = {"selectionstandard", "historicalselectionstandard", "holiday", "historicalholiday"}
# The columns django-simple-history adds to a historical table; the first is its own key.
# About a province's active candidates: Liaoning's 12,000 villages at Fushun's density.
PROVINCE_CANDIDATES = 110_000
HISTORY_FIELDS = ("history_id", "history_date", "history_change_reason", "history_type", "history_user")


class Command(BaseCommand):
    help = (
        "Reset the database and load the demo: Fushun city as DESIGN §1 reports it, and the demo users. "
        "--scale province adds the rest of Liaoning (about 12,000 villages and 110,000 candidates) "
        "for benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["city", "province"], default="city")
        parser.add_argument(
            "--candidates",
            type=int,
            default=None,
            help="active candidates in the whole province, for --scale province "
            f"(default {PROVINCE_CANDIDATES:,}); "
            "the city's people are copied into the other cities' villages until there are about this many",
        )
        parser.add_argument(
            "--seed", type=int, default=2024, help="seed of the random generator (default 2024)"
        )
        parser.add_argument("--force", action="store_true", help="run even with DEBUG=False")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when the database already holds regions"
        )

    def handle(self, *args, scale, candidates, seed, force, if_empty, **options):
        if if_empty and Region.objects.exists():
            self.stdout.write("The database already holds data; the demo was not loaded.")
            return
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo erases the database. It refuses to run with DEBUG=False; "
                "add --force if you mean it."
            )
        started = time.monotonic()
        # Bulk-loaded, then counted once: refreshing the rollups row by row would cost minutes.
        with transaction.atomic(), rollups.paused():
            self.erase()
            figures = self.build(scale=scale, seed=seed, candidates=candidates or PROVINCE_CANDIDATES)
            figures["initial history rows"] = self.record_initial_history()
            figures["rollup rows"] = rollups.rebuild()
        if connection.vendor == "postgresql":
            # Fresh tables have no statistics, so the planner would guess badly on the report queries,
            # and no visibility map, so no list could be read from its index alone. (VACUUM cannot run
            # inside a transaction, as in the tests.)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
        self.stdout.write(
            self.style.SUCCESS(f"Demo loaded ({scale}, seed {seed}) in {time.monotonic() - started:.1f} s:")
        )
        for label, value in figures.items():
            self.stdout.write(f"  {label}: {value}")

    def erase(self) -> None:
        """Delete every row the portal owns, history and sessions included, in one transaction.

        Plain DELETEs rather than `flush`: TRUNCATE cannot run inside a transaction that has
        pending constraint checks, and ORM deletes would write a history row per deleted row.
        Foreign keys are checked at commit, so the order does not matter.
        """
        owned = [
            model
            for model in apps.get_models(include_auto_created=True)
            if model._meta.app_label in ERASED_APPS
            and model._meta.managed
            and model._meta.model_name not in KEPT_MODELS
        ]
        with connection.cursor() as cursor:
            for model in owned:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")

    def record_initial_history(self) -> int:
        """One history row ("created") for every demo row that has none, written in bulk.

        The demo is bulk-loaded, which writes no history; without this row the first change made in
        the portal to a demo record would keep no before-state (finding F12).
        """
        written = 0
        now = timezone.now()
        for model in apps.get_models():
            if model._meta.app_label not in ERASED_APPS or not hasattr(model, "history"):
                continue
            if model._meta.model_name in KEPT_MODELS:
                continue
            copied = self.copy_into_history(model, now)
            if copied is not None:
                written += copied
                continue
            pk_name = model._meta.pk.attname
            recorded = model.history.values(pk_name)
            missing = model._default_manager.exclude(pk__in=recorded).order_by("pk")
            batch = []
            for row in missing.iterator(chunk_size=5000):
                batch.append(row)
                if len(batch) == 5000:
                    written += len(model.history.bulk_history_create(batch, default_date=now))
                    batch = []
            if batch:
                written += len(model.history.bulk_history_create(batch, default_date=now))
        return written

    def copy_into_history(self, model, now) -> int | None:
        """The rows `bulk_history_create` would write (type "+", no user, no reason, dated `now`), copied
        by one INSERT … SELECT: building hundreds of thousands of historical instances takes half a
        minute. None when the historical model has columns of its own, which only the library fills."""
        history = model.history.model
        tracked = [f.name for f in history.tracked_fields]
        own = {f.name for f in history._meta.concrete_fields}
        generated_key = history._meta.pk.get_internal_type() in ("AutoField", "BigAutoField")
        if own != {*tracked, *HISTORY_FIELDS} or not generated_key or hasattr(history, "history_relation"):
            return None
        quote = connection.ops.quote_name
        targets = [quote(history._meta.get_field(name).column) for name in tracked]
        targets += [quote(history._meta.get_field(name).column) for name in HISTORY_FIELDS[1:]]
        sources = [quote(model._meta.get_field(name).column) for name in tracked]
        pk, recorded = (
            quote(model._meta.pk.column),
            quote(history._meta.get_field(model._meta.pk.name).column),
        )
        table, history_table = quote(model._meta.db_table), quote(history._meta.db_table)
        date = history._meta.get_field("history_date").get_db_prep_save(now, connection)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {history_table} ({', '.join(targets)}) "
                f"SELECT {', '.join(sources)}, %s, %s, %s, NULL FROM {table} "
                f"WHERE {pk} NOT IN (SELECT {recorded} FROM {history_table}) ORDER BY {pk}",
                [date, "", "+"],
            )
            return cursor.rowcount

    def build(self, *, scale: str, seed: int, candidates: int) -> dict:
        rng = random.Random(seed)
        year = timezone.localdate().year - 1
        fushun = village_demo.build_fushun(rng)
        village_demo.rate_stars(rng, fushun.villages, year=year, four_star_plus=village_demo.FOUR_STAR_PLUS)
        seats = village_demo.seat_committees(
            rng,
            fushun.villages,
            members=village_demo.COMMITTEE_MEMBERS,
            wealth_creators=village_demo.COMMITTEE_WEALTH_CREATORS,
        )
        village_demo.pair_agencies(rng, fushun.city, fushun.villages, agencies=village_demo.AGENCIES)
        demo_users = create_demo_users(fushun.by_name)
        users = create_staff_users(fushun.townships, fushun.counties, demo_users)
        mentors = mentoring_demo.build_mentors(rng, fushun, demo_users["mentor"])
        people = candidate_demo.build_candidates(rng, fushun, users, seats)
        xinbin = [c for c in people["filed_on"] if c.village_id.startswith("210422")]
        demo_mentees = [people["showcase"]["李根"], people["showcase"]["杨德友"], *rng.sample(xinbin, 16)]
        mentoring_demo.assign_mentors(rng, people["filed_on"], mentors, demo_mentees=demo_mentees)
        officials = candidate_demo.officials(users)
        ladder_demo.build_ladder(rng, people, officials, demo_users["city"], mentors)
        mentees = mentoring_demo.load_mentees(people, officials, demo_users["city"])
        mentoring_demo.build_mentoring(rng, mentees)
        growth_demo.build_growth(rng, mentees, year=year)
        province = {}
        if scale == "province":
            rest = village_demo.build_rest_of_province(rng, fushun.city.parent, year=year)
            create_province_users(fushun.city.parent, rest, demo_users)
            province = demo_province.copy_city(fushun.city, into=[v.pk for v in rest], candidates=candidates)
        return {
            **province,
            "regions": Region.objects.count(),
            "villages": Region.objects.filter(level=RegionLevel.VILLAGE).count(),
            "active candidates": Candidate.objects.active().count(),
            "certifications in progress": Certification.objects.in_progress().count(),
            "eliminated in the five years to last year": Elimination.objects.approved()
            .filter(decided_at__year__range=(year - 4, year))
            .count(),
            "in village committees": CommitteeSeat.objects.current()
            .filter(candidate__status="active")
            .values("candidate")
            .distinct()
            .count(),
            "standing reserves": Reserve.objects.standing().count(),
            **growth_demo.figures(year=year),
        }
