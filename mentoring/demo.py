"""Demo mentors: leaders of each county and township, each active candidate with exactly one."""

import random

from mentoring.choices import MentorLevel
from mentoring.models import Mentor, MentorAssignment
from villages.demo import person_name

COUNTY_TITLES = [
    "县委副书记",
    "县委常委、组织部长",
    "副县长",
    "县人大常委会副主任",
    "县政协副主席",
    "县委常委、宣传部长",
]
TOWNSHIP_TITLES = ["党委书记", "乡镇长", "党委副书记"]


def build_mentors(rng: random.Random, fushun, mentor_user) -> dict[str, list[Mentor]]:
    """Mentors by the code of the county or township they serve; the demo `mentor` user is one of 新宾's."""
    mentors = []
    for county in fushun.counties:
        for title in COUNTY_TITLES:
            mentors.append(
                Mentor(
                    name=person_name(rng),
                    title=title,
                    unit=f"{county.name}委",
                    region=county,
                    level=MentorLevel.COUNTY,
                    phone=f"139{rng.randrange(10**8):08d}",
                )
            )
    for township in fushun.townships:
        for title in TOWNSHIP_TITLES:
            mentors.append(
                Mentor(
                    name=person_name(rng),
                    title=title,
                    unit=f"{township.name}党委",
                    region=township,
                    level=MentorLevel.TOWNSHIP,
                    phone=f"139{rng.randrange(10**8):08d}",
                )
            )
    demo = next(m for m in mentors if m.region.name == "新宾满族自治县" and m.title == "副县长")
    demo.name, demo.user = "富国强", mentor_user
    Mentor.objects.bulk_create(mentors)
    by_region = {}
    for mentor in mentors:
        by_region.setdefault(mentor.region_id, []).append(mentor)
    return by_region


def assign_mentors(
    rng: random.Random, filed_on: dict, mentors_by_region: dict, *, demo_mentees: list
) -> None:
    """One current mentor for every active candidate, from the day they were filed: a leader of their
    township or of their county; the demo mentor has `demo_mentees`."""
    demo_mentor = next(m for ms in mentors_by_region.values() for m in ms if m.user_id)
    assignments = []
    for candidate, since in filed_on.items():
        if candidate in demo_mentees:
            mentor = demo_mentor
        else:
            township = candidate.village.region.parent
            pool = mentors_by_region[township.code] + [
                m for m in mentors_by_region[township.parent_id] if m is not demo_mentor
            ]
            mentor = rng.choice(pool)
        assignments.append(MentorAssignment(candidate=candidate, mentor=mentor, start_date=since))
    MentorAssignment.objects.bulk_create(assignments, batch_size=5000)
