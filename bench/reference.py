"""The "no framework" reference for summary.json: the same figures counted by hand-written SQL straight
from the base tables, one aggregate statement per table group, no rollups, no ORM.

`make bench` times it beside the portal's summary.json (summary_sql_ms) and checks that both give the
same figures, so the reference cannot drift into measuring something easier.
PostgreSQL only, like the bench.
"""

from django.db import connection
from django.utils import timezone

from candidates.choices import CertificationState, EliminationState, Stage, Status
from candidates.workflow import STEPS
from mentoring.choices import ContributionKind, CourseLevel, SupportKind
from villages.choices import ReserveKind
from villages.models import RESERVE_TARGET, STANDING_RESERVE

TIME_ZONE = "Asia/Shanghai"


def _one(sql: str, params: dict) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def summary_by_sql(prefix: str, year: int) -> dict:
    """The figures of the region whose codes start with `prefix`, for `year`, as summary.json's parts."""
    today = timezone.localdate()
    params = {
        "like": prefix + "%",
        "year": year,
        "first": year - 4,
        "today": today,
        "tz": TIME_ZONE,
        "active": Status.ACTIVE,
        "in_progress": CertificationState.IN_PROGRESS,
        "rejected": CertificationState.REJECTED,
        "standing": list(STANDING_RESERVE),
        "secretary": ReserveKind.SECRETARY,
        "committee": ReserveKind.COMMITTEE,
        "need_secretary": RESERVE_TARGET[ReserveKind.SECRETARY],
        "need_committee": RESERVE_TARGET[ReserveKind.COMMITTEE],
        "households": ContributionKind.HOUSEHOLDS_HELPED,
        "services": ContributionKind.SERVICE_ITEMS,
        "problems": ContributionKind.PROBLEMS_SOLVED,
        "university": CourseLevel.UNIVERSITY,
        "loan": SupportKind.LOAN,
        "land": SupportKind.LAND,
        "project": SupportKind.PROJECT,
        "approved": EliminationState.APPROVED,
    }
    stages = ", ".join(
        f"COUNT(*) FILTER (WHERE c.stage = '{stage}') AS \"stage_{stage}\"" for stage in Stage.values
    )
    steps = ", ".join(
        f"COUNT(*) FILTER (WHERE z.state = %(in_progress)s AND z.step = {step}) AS step_{step}"
        for step in STEPS
    )
    people = _one(
        f"""
        SELECT COUNT(*) AS active, {stages},
          COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM villages_committeeseat s WHERE s.candidate_id = c.id
              AND s.term_start <= %(today)s AND (s.term_end IS NULL OR s.term_end >= %(today)s)))
            AS in_village_committees,
          COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM villages_reserve r WHERE r.candidate_id = c.id
              AND r.status = ANY(%(standing)s))) AS committee_reserves,
          COUNT(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM mentoring_mentorassignment a
              WHERE a.candidate_id = c.id AND a.end_date IS NULL)) AS without_mentor
        FROM candidates_candidate c WHERE c.village_id LIKE %(like)s AND c.status = %(active)s
        """,
        params,
    )
    certification = _one(
        f"""
        SELECT {steps},
          COUNT(*) FILTER (WHERE z.state = %(in_progress)s AND z.step_due_on < %(today)s) AS overdue,
          COUNT(*) FILTER (WHERE z.state = %(rejected)s
              AND EXTRACT(YEAR FROM z.finished_at AT TIME ZONE %(tz)s) = %(year)s) AS rejected
        FROM candidates_certification z JOIN candidates_candidate c ON c.id = z.candidate_id
        WHERE c.village_id LIKE %(like)s AND (z.state = %(in_progress)s OR z.state = %(rejected)s)
        """,
        params,
    )
    villages = _one(
        """
        SELECT COUNT(*) AS total,
          COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM villages_starrating r WHERE r.village_id = v.region_id
              AND r.year = %(year)s AND r.stars >= 4)) AS four_star_plus,
          COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM villages_pairing p WHERE p.village_id = v.region_id
              AND p.end_date IS NULL)) AS paired,
          COUNT(*) FILTER (WHERE
              (SELECT COUNT(*) FROM villages_reserve r WHERE r.village_id = v.region_id
                 AND r.status = ANY(%(standing)s) AND r.kind = %(secretary)s) >= %(need_secretary)s
              AND (SELECT COUNT(*) FROM villages_reserve r WHERE r.village_id = v.region_id
                 AND r.status = ANY(%(standing)s) AND r.kind = %(committee)s) >= %(need_committee)s)
            AS meeting_reserve_target
        FROM villages_village v WHERE v.region_id LIKE %(like)s
        """,
        params,
    )
    seats = _one(
        """
        SELECT COUNT(*) AS members, COUNT(*) FILTER (WHERE s.is_wealth_creator) AS wealth_creators
        FROM villages_committeeseat s WHERE s.village_id LIKE %(like)s
          AND s.term_start <= %(today)s AND (s.term_end IS NULL OR s.term_end >= %(today)s)
        """,
        params,
    )
    given = _one(
        """
        SELECT
          COALESCE(SUM(g.count) FILTER (WHERE g.kind = %(households)s), 0) AS households_helped,
          COALESCE(SUM(g.count) FILTER (WHERE g.kind = %(services)s
              AND EXTRACT(YEAR FROM g.date) = %(year)s), 0) AS service_items,
          COALESCE(SUM(g.count) FILTER (WHERE g.kind = %(problems)s
              AND EXTRACT(YEAR FROM g.date) = %(year)s), 0) AS problems_solved
        FROM mentoring_contribution g JOIN candidates_candidate c ON c.id = g.candidate_id
        WHERE c.village_id LIKE %(like)s
        """,
        params,
    )
    support = _one(
        """
        SELECT COALESCE(SUM(s.amount) FILTER (WHERE s.kind = %(loan)s), 0) AS loans_yuan,
          COALESCE(SUM(s.area) FILTER (WHERE s.kind = %(land)s), 0) AS land_transfer_mu,
          COUNT(*) FILTER (WHERE s.kind = %(project)s) AS projects
        FROM mentoring_support s JOIN candidates_candidate c ON c.id = s.candidate_id
        WHERE c.village_id LIKE %(like)s
        """,
        params,
    )
    rest = _one(
        """
        SELECT
          (SELECT COUNT(*) FROM mentoring_collectiveproject p WHERE p.village_id LIKE %(like)s)
            AS collective_projects,
          (SELECT COUNT(DISTINCT a.candidate_id) FROM mentoring_award a
             JOIN candidates_candidate c ON c.id = a.candidate_id
             WHERE c.village_id LIKE %(like)s AND EXTRACT(YEAR FROM a.date) = %(year)s) AS awarded_candidates,
          (SELECT COUNT(DISTINCT e.candidate_id) FROM mentoring_enrolment e
             JOIN mentoring_course k ON k.id = e.course_id AND k.level = %(university)s
             JOIN candidates_candidate c ON c.id = e.candidate_id
             WHERE c.village_id LIKE %(like)s) AS university_trainees,
          (SELECT COUNT(DISTINCT o.candidate_id) FROM mentoring_onlinelearning o
             JOIN candidates_candidate c ON c.id = o.candidate_id AND c.status = %(active)s
             WHERE c.village_id LIKE %(like)s AND o.hours > 0
               AND EXTRACT(YEAR FROM o.month) = %(year)s) AS online_learners,
          (SELECT COUNT(*) FROM candidates_elimination x JOIN candidates_candidate c ON c.id = x.candidate_id
             WHERE c.village_id LIKE %(like)s AND x.state = %(approved)s
               AND EXTRACT(YEAR FROM x.decided_at AT TIME ZONE %(tz)s) BETWEEN %(first)s AND %(year)s)
            AS eliminated,
          (SELECT COUNT(*) FROM mentoring_policy y WHERE y.active) AS policies
        """,
        params,
    )
    active = people["active"]

    def share(part, whole):
        return round(float(part) / float(whole), 3) if whole else 0.0

    return {
        "candidates": {
            "active": active,
            "by_stage": {stage: people[f"stage_{stage}"] for stage in Stage.values},
            "eliminated_last_5_years": rest["eliminated"],
            "in_village_committees": people["in_village_committees"],
            "committee_reserves": people["committee_reserves"],
            "without_mentor": people["without_mentor"],
        },
        "certification": {
            "in_progress_by_step": {str(step): certification[f"step_{step}"] for step in STEPS},
            "overdue": certification["overdue"],
            "rejected": certification["rejected"],
        },
        "villages": {
            "total": villages["total"],
            "four_star_plus": villages["four_star_plus"],
            "four_star_plus_share": share(villages["four_star_plus"], villages["total"]),
            "committee_members": seats["members"],
            "committee_wealth_creator_share": share(seats["wealth_creators"], seats["members"]),
            "meeting_reserve_target": villages["meeting_reserve_target"],
            "paired": villages["paired"],
        },
        "contributions": {
            "collective_projects": rest["collective_projects"],
            "households_helped": given["households_helped"],
            "service_items": given["service_items"],
            "problems_solved": given["problems_solved"],
            "awarded_candidates": rest["awarded_candidates"],
        },
        "training": {
            "university_trainees": rest["university_trainees"],
            "online_learning_rate": share(rest["online_learners"], active),
        },
        "support": {
            "policies": rest["policies"],
            "loans_yuan": support["loans_yuan"],
            "land_transfer_mu": support["land_transfer_mu"],
            "projects": support["projects"],
        },
    }
