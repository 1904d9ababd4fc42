"""Who may act on village records (DESIGN §8)."""

from accounts.choices import Role
from accounts.jurisdiction import in_jurisdiction
from villages.workflow import RESERVE, VILLAGE_RECORD_ROLES

R = Role
VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"

# Admin actions by role, per model; administrators may view, add and change all, and delete none.
# Nothing is deleted: seats end with a term end date, pairings with an end date.
ADMIN_RIGHTS = {
    "region": {R.TOWNSHIP_OFFICIAL: {VIEW}, R.COUNTY_REVIEWER: {VIEW}, R.CITY_STAFF: {VIEW}},
    "village": {R.TOWNSHIP_OFFICIAL: {VIEW, CHANGE}, R.COUNTY_REVIEWER: {VIEW, CHANGE}, R.CITY_STAFF: {VIEW}},
    "starrating": {R.TOWNSHIP_OFFICIAL: {VIEW}, R.COUNTY_REVIEWER: {VIEW, ADD, CHANGE}, R.CITY_STAFF: {VIEW}},
    "committeeseat": {
        R.TOWNSHIP_OFFICIAL: {VIEW, ADD, CHANGE},
        R.COUNTY_REVIEWER: {VIEW, ADD, CHANGE},
        R.CITY_STAFF: {VIEW},
    },
    "reserve": {R.TOWNSHIP_OFFICIAL: {VIEW}, R.COUNTY_REVIEWER: {VIEW}, R.CITY_STAFF: {VIEW}},
    "agency": {R.CITY_STAFF: {VIEW, ADD, CHANGE}},
    "agencybranch": {R.CITY_STAFF: {VIEW, ADD, CHANGE}},
    "pairing": {R.TOWNSHIP_OFFICIAL: {VIEW}, R.COUNTY_REVIEWER: {VIEW}, R.CITY_STAFF: {VIEW, ADD, CHANGE}},
}


def can_keep_village_records(user) -> bool:
    """Township officials and county reviewers enter seats and propose reserves (DESIGN §8)."""
    return user.is_authenticated and user.role in VILLAGE_RECORD_ROLES


def can_rate_villages(user) -> bool:
    """County reviewers give the villages of their county their star rating (DESIGN §8); the
    administrator may correct one."""
    return user.is_authenticated and (user.role == Role.COUNTY_REVIEWER or user.is_administrator)


def reserve_actions(user, reserve) -> list:
    """The decisions `user` may take on the reserve now (`reserve` comes from `visible_to(user)`): the
    buttons to draw."""
    if not user.is_authenticated or not in_jurisdiction(user, reserve.village_id):
        return []
    return RESERVE.actions(reserve, user)


def can_decide_reserves(user, action: str) -> bool:
    """Whether the user's role takes `action` on reserves at all (the reserve's state aside)."""
    return any(t.action == action and user.role in t.roles for t in RESERVE.transitions)
