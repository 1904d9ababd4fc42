"""Demo of the ladder (DESIGN §1, §4): Party milestones, the promotions that brought everyone to their
stage, 2,134 standing reserves, 217 eliminations in the last five years, and work waiting in the
queues. Called by `seed_demo` after `candidates.demo.build_candidates`; bulk writes, no history rows.
"""

import datetime
import random
from collections import defaultdict

from django.utils import timezone

from candidates.choices import (
    EliminationReason,
    EliminationState,
    PoliticalStatus,
    PromotionAction,
    PromotionState,
    Stage,
)
from candidates.ladder import CITY_APPROVED, NEXT_STAGE
from candidates.models import Candidate, Elimination, Promotion, PromotionDecision
from mentoring.models import MentorAssignment
from villages.choices import ReserveKind, ReserveStatus
from villages.models import CommitteeSeat, Reserve

STANDING_RESERVES = 2134
ELIMINATION_REASONS = [
    (EliminationReason.FAILED_ASSESSMENT, 35, "年度考核不合格，帮带后仍无明显改进"),
    (EliminationReason.OWN_REQUEST, 20, "本人因家庭原因申请退出培养"),
    (EliminationReason.MOVED_AWAY, 20, "举家外迁，已不在本村生产生活"),
    (EliminationReason.LOW_RECOGNITION, 12, "群众认可度明显下降，民主测评未达标"),
    (EliminationReason.VIOLATION, 5, "违反村规民约，受到党内警告处分"),
    (EliminationReason.OTHER, 8, "长期外出务工，无法参加培养活动"),
]


def _moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _path(track: str, stage: str) -> list[tuple[str, str]]:
    """The moves from the stage a person was filed at to the stage they hold now."""
    moves, at = [], track
    while at != stage:
        moves.append((at, NEXT_STAGE[at]))
        at = NEXT_STAGE[at]
    return moves


def plan_promotions(rng: random.Random, people: list, tracks: list, filed: list) -> list:
    """For each active person (lists aligned by index), the dated moves that brought them from the
    stage they were filed at to their stage now; their Party milestones are set to fit, on the
    unsaved candidates, so that nothing needs updating later."""
    today = timezone.localdate()
    schedule = []
    for person, track, filed_on in zip(people, tracks, filed, strict=True):
        moves = _path(track, person.stage)
        spacing = (today - filed_on).days / (len(moves) + 1)
        dates = [
            filed_on + datetime.timedelta(days=int(spacing * (k + 1)) - rng.randint(0, 20))
            for k in range(len(moves))
        ]
        schedule.append(list(zip(moves, dates, strict=True)))
        became_member = dates[0] if moves and track == Stage.WEALTH_CREATOR else None
        _milestones(rng, person, filed_on, became_member, today)
    return schedule


def build_ladder(
    rng: random.Random, people: dict, officials: tuple[dict, dict], city_user, mentors_by_region
):
    """Promotions, reserves and eliminations for the people `build_candidates` made (its result)."""
    today = timezone.localdate()
    township_users, county_users = officials

    def township_of(person):
        return township_users[person.village.region.parent_id]

    def county_of(person):
        return county_users[person.village.region.parent.parent_id]

    promotions, decisions = [], []
    for person, moves in people["promotions"].items():
        for (from_stage, to_stage), day in moves:
            promotion = Promotion(
                candidate=person,
                from_stage=from_stage,
                to_stage=to_stage,
                state=PromotionState.APPROVED,
                evidence="培养期间表现突出，经乡镇党委研究提名",
                proposed_by=township_of(person),
                proposed_at=_moment(day - datetime.timedelta(days=20)),
                decided_at=_moment(day, 15),
            )
            promotions.append(promotion)
            log = [(PromotionAction.PROPOSE, township_of(person), day - datetime.timedelta(days=20), "")]
            if to_stage in CITY_APPROVED:
                log += [
                    (PromotionAction.ENDORSE, county_of(person), day - datetime.timedelta(days=8), "推荐"),
                    (PromotionAction.APPROVE, city_user, day, "同意"),
                ]
            else:
                log.append((PromotionAction.APPROVE, county_of(person), day, "同意"))
            decisions += [(promotion, action, by, when, opinion) for action, by, when, opinion in log]
    _pending_promotions(rng, people, promotions, decisions, township_of, county_of, today)
    Promotion.objects.bulk_create(promotions, batch_size=2000)
    PromotionDecision.objects.bulk_create(
        [
            PromotionDecision(promotion=p, action=a, by=b, at=_moment(w), opinion=o)
            for p, a, b, w, o in decisions
        ],
        batch_size=5000,
    )
    _reserves(rng, people, township_of, county_of, today)
    _eliminations(rng, people, township_of, county_of, mentors_by_region, today)


def _milestones(rng, person, filed_on, promoted_on, today):
    """Party development dates that fit the person's way up: before filing for those who came in as
    members; before the move to member wealth-creator for those who came in as wealth-creators."""
    if person.stage == Stage.WEALTH_CREATOR:
        if rng.random() < 0.3:
            person.party_application_on = min(today, filed_on + datetime.timedelta(days=rng.randint(30, 300)))
            if rng.random() < 0.5:
                person.activist_on = min(
                    today, person.party_application_on + datetime.timedelta(days=rng.randint(90, 200))
                )
        return
    if promoted_on is not None:
        probationary = promoted_on - datetime.timedelta(days=rng.randint(20, 90))
    else:
        probationary = filed_on - datetime.timedelta(days=rng.randint(730, 5000))
    person.probationary_on = probationary
    person.development_target_on = probationary - datetime.timedelta(days=rng.randint(90, 200))
    person.activist_on = person.development_target_on - datetime.timedelta(days=rng.randint(180, 365))
    person.party_application_on = person.activist_on - datetime.timedelta(days=rng.randint(30, 180))
    full = probationary + datetime.timedelta(days=365)
    person.full_member_on = full if full <= today else None
    person.political_status = (
        PoliticalStatus.MEMBER if person.full_member_on else PoliticalStatus.PROBATIONARY
    )


def _pending_promotions(rng, people, promotions, decisions, township_of, county_of, today):
    """Promotions waiting in the queues: the county's (proposed), the city's (endorsed), a township's
    (returned). 李根's next rung is left for the demo walk-through."""
    actives = [p for p in people["filed_on"] if p.name != "李根"]
    party_members = [p for p in actives if p.stage == Stage.PARTY_MEMBER]
    xinbin = [p for p in party_members if p.village_id.startswith("210422")]
    yushu = [p for p in party_members if p.village.region.parent.name == "榆树乡"]
    leaders = [p for p in actives if p.stage == Stage.VILLAGE_LEADER]
    plan = (
        [(p, PromotionState.PROPOSED) for p in rng.sample(xinbin, 4) + rng.sample(party_members, 6)]
        + [(p, PromotionState.ENDORSED) for p in rng.sample(leaders, 2)]
        + [
            (p, PromotionState.RETURNED)
            for p in (yushu[:1] or party_members[:1]) + rng.sample(party_members, 1)
        ]
    )
    seen = set()
    for person, state in plan:
        if person.pk in seen:
            continue
        seen.add(person.pk)
        day = today - datetime.timedelta(days=rng.randint(1, 12))
        to_stage = NEXT_STAGE[person.stage]
        promotion = Promotion(
            candidate=person,
            from_stage=person.stage,
            to_stage=to_stage,
            state=state,
            evidence="领办合作社，带动本村农户增收",
            cooperative=f"{person.village.region.name}{person.industry}专业合作社",
            proposed_by=township_of(person),
            proposed_at=_moment(day, 9),
        )
        promotions.append(promotion)
        decisions.append((promotion, PromotionAction.PROPOSE, township_of(person), day, ""))
        if state == PromotionState.ENDORSED:
            decisions.append(
                (promotion, PromotionAction.ENDORSE, county_of(person), day, "推荐为乡村振兴领军人物")
            )
        if state == PromotionState.RETURNED:
            decisions.append(
                (promotion, PromotionAction.RETURN, county_of(person), day, "请补充合作社营业执照和分红台账")
            )


def _reserves(rng, people, township_of, county_of, today):
    """2,134 standing reserves: per village a secretary reserve (sometimes two) and up to three committee
    reserves, until the figure is reached; later villages stay short. Some proposals await the county."""
    seated = set(
        CommitteeSeat.objects.current().filter(candidate__isnull=False).values_list("candidate_id", flat=True)
    )
    by_village = defaultdict(list)
    for person in people["filed_on"]:
        if person.pk not in seated and person.name != "李根":
            by_village[person.village_id].append(person)
    order = sorted(by_village)
    rng.shuffle(order)
    # 红石村 is left short, so that the walk-through has a reserve to designate there.
    order.sort(key=lambda code: code == "210422202201")
    reserves, count = [], 0
    prefer = {Stage.MEMBER_WEALTH_CREATOR: 0, Stage.PARTY_MEMBER: 1, Stage.WEALTH_CREATOR: 2}
    for code in order:
        pool = sorted(by_village[code], key=lambda p: (prefer[p.stage], p.pk))
        secretaries = 2 if rng.random() < 0.5 else 1
        kinds = [ReserveKind.SECRETARY] * secretaries + [ReserveKind.COMMITTEE] * 3
        if code == "210422202201":
            kinds = [ReserveKind.COMMITTEE]
        for person, kind in zip(pool, kinds, strict=False):
            if count == STANDING_RESERVES:
                break
            reserves.append(
                _reserve(rng, person, kind, ReserveStatus.CONFIRMED, township_of, county_of, today)
            )
            count += 1
    chosen = {r.candidate_id for r in reserves}
    free_xinbin = [
        p for code in order if code.startswith("210422") for p in by_village[code] if p.pk not in chosen
    ]
    for person in rng.sample(free_xinbin, 8):
        kind = ReserveKind.SECRETARY if person.stage != Stage.WEALTH_CREATOR else ReserveKind.COMMITTEE
        reserves.append(_reserve(rng, person, kind, ReserveStatus.PROPOSED, township_of, county_of, today))
    xinbin_standing = [
        r for r in reserves if r.status == ReserveStatus.CONFIRMED and r.village_id.startswith("210422")
    ]
    for reserve in rng.sample(xinbin_standing, 2):
        reserve.status, reserve.note = ReserveStatus.REMOVAL_PROPOSED, "本人外出务工，申请调整"
    Reserve.objects.bulk_create(reserves, batch_size=2000)


def _reserve(rng, person, kind, status, township_of, county_of, today):
    filed_on = today - datetime.timedelta(days=rng.randint(30, 700))
    return Reserve(
        village=person.village,
        candidate=person,
        kind=kind,
        status=status,
        designated_on=max(filed_on, today - datetime.timedelta(days=rng.randint(5, 900))),
        proposed_by=township_of(person),
        decided_by=county_of(person) if status != ReserveStatus.PROPOSED else None,
    )


def _eliminations(rng, people, township_of, county_of, mentors_by_region, today):
    """The approved eliminations of the eliminated people, with the mentoring that ended with them, and
    two proposals awaiting the county (one from a mentor)."""
    reasons = [r for r, weight, _ in ELIMINATION_REASONS for _ in range(weight)]
    details = {r: text for r, _, text in ELIMINATION_REASONS}
    rows, assignments = [], []
    for person, day in people["eliminated_on"].items():
        reason = rng.choice(reasons)
        rows.append(
            Elimination(
                candidate=person,
                reason=reason,
                details=details[reason],
                state=EliminationState.APPROVED,
                proposed_by=township_of(person),
                proposed_at=_moment(day - datetime.timedelta(days=rng.randint(10, 40))),
                decided_by=county_of(person),
                decided_at=_moment(day, 15),
                opinion="经县委组织部研究，同意淘汰",
            )
        )
        township = person.village.region.parent
        assignments.append(
            MentorAssignment(
                candidate=person,
                mentor=rng.choice(mentors_by_region[township.code]),
                start_date=people["eliminated_filed_on"][person],
                end_date=day,
            )
        )
    mentor_mentees = list(
        Candidate.objects.filter(mentor_assignments__mentor__user__username="mentor", status="active")
        .exclude(name__in=["李根", "杨德友"])
        .order_by("pk")[:1]
    )
    actives = [
        p for p in people["filed_on"] if p.village_id.startswith("210422") and p.stage == Stage.WEALTH_CREATOR
    ]
    proposer_of = {}
    for person in mentor_mentees:
        proposer_of[person.pk] = person.mentor_assignments.get(end_date__isnull=True).mentor.user
    pending = [(p, proposer_of.get(p.pk)) for p in mentor_mentees] + [
        (p, None) for p in rng.sample(actives, 1)
    ]
    for person, proposer in pending:
        rows.append(
            Elimination(
                candidate=person,
                reason=EliminationReason.FAILED_ASSESSMENT,
                details="连续两次考核不合格",
                proposed_by=proposer or township_of(person),
                proposed_at=_moment(today - datetime.timedelta(days=3)),
            )
        )
    Elimination.objects.bulk_create(rows)
    MentorAssignment.objects.bulk_create(assignments)
