"""The one function that decides what a user may see (DESIGN §8).

Every scoped model's QuerySet has `visible_to(user)`, built on `scope()`. Jurisdiction is a
division-code prefix: everything whose code starts with the prefix of the user's region is inside.
"""

from collections.abc import Callable

from django.db.models import Q, QuerySet

from accounts.choices import Role
from villages.codes import division_prefix


def jurisdiction_prefix(user) -> str | None:
    """The code prefix of everything `user` may see: "" for all of it, None for nothing."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser or user.role == Role.ADMINISTRATOR:
        return ""
    if user.jurisdiction_id is None:
        return None
    return division_prefix(user.jurisdiction_id)


def scope(
    queryset: QuerySet, user, *, code_field: str, mentee_of: Callable[[object], Q] | None = None
) -> QuerySet:
    """Rows of `queryset` inside the user's jurisdiction.

    `code_field` is the lookup path to the row's 12-digit division code. For rows about people,
    `mentee_of(user)` is the condition "this person is currently mentored by `user`": a mentor
    sees their own mentees only, not everyone in their region.
    """
    prefix = jurisdiction_prefix(user)
    if prefix is None:
        return queryset.none()
    if prefix:
        queryset = queryset.filter(**{f"{code_field}__startswith": prefix})
    if mentee_of is not None and user.role == Role.MENTOR and not user.is_superuser:
        queryset = queryset.filter(mentee_of(user))
    return queryset


def in_jurisdiction(user, code: str) -> bool:
    """Whether the division code `code` lies inside the user's jurisdiction."""
    prefix = jurisdiction_prefix(user)
    return prefix is not None and code.startswith(prefix)


def mentee_of(path: str = ""):
    """The condition "currently mentored by this user", for the candidate at `path`."""

    def condition(user):
        prefix = f"{path}__" if path else ""
        return Q(
            **{
                f"{prefix}mentor_assignments__mentor__user": user,
                f"{prefix}mentor_assignments__end_date__isnull": True,
            }
        )

    return condition


class ScopedQuerySet(QuerySet):
    """The QuerySet of every scoped model: `visible_to(user)` reads the model's scope from the model.

    `scope_path` is the lookup to the row's 12-digit division code (None for reference data of the
    whole programme, which every signed-in user reads); for rows about people, `mentee_path` is the
    lookup to the person ("" for the person's own record): a mentor sees their mentees only.
    """

    def visible_to(self, user):
        path = self.model.scope_path
        if path is None:
            return self if user.is_authenticated and user.is_active else self.none()
        mentee_path = getattr(self.model, "mentee_path", None)
        condition = mentee_of(mentee_path) if mentee_path is not None else None
        return scope(self, user, code_field=path, mentee_of=condition)
