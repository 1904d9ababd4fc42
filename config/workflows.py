"""The one shape of every workflow of the portal, and the one function that moves a record along it.

A workflow is declared as data: the model, the field that holds its state, and its transitions
(source state, action, target state, the roles that take it, the button's label). `Workflow.apply`
is the only code that moves a record: it locks the row, checks jurisdiction, the state the user's
page showed, the role and the reason, runs the step's own rules, saves with history and writes the
timeline event, all in one transaction. Certification steps, promotions, eliminations, reserves and
assessments are each such a table (STYLE.md, "Workflows").

Services raise domain errors: `WorkflowError` (cannot be done now, the message says why),
`AlreadyDecided` (someone else moved it first), `NotVisible` (outside the user's jurisdiction) and
Django's `PermissionDenied` (the role may not). The view layer turns `NotVisible` into 404
(`config.middleware.DomainErrorsMiddleware`) and `PermissionDenied` into 403.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports import rollups


class WorkflowError(Exception):
    """A step cannot be taken now; the message says why, in the user's language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class AlreadyDecided(WorkflowError):
    """Someone else moved the record a moment ago: the page the user acted on is stale."""


class NotVisible(Exception):
    """The record is outside the user's jurisdiction: "not found", never "forbidden"."""


def save_with_history(instance: models.Model, by, **kwargs) -> None:
    """Save `instance`; django-simple-history records before and after, by `by`, in the same transaction."""
    instance._history_user = by
    instance.save(**kwargs)


def require_visible(model: type[models.Model], by, obj: models.Model) -> None:
    """Raise NotVisible unless `obj` is among `model.objects.visible_to(by)`. Queries the database."""
    if not model.objects.visible_to(by).filter(pk=obj.pk).exists():
        raise NotVisible


@dataclass(frozen=True)
class Transition:
    """One move of a workflow: from `source` by `action` to `target`, taken by one of `roles`."""

    source: str
    action: str
    target: str
    roles: frozenset[str]
    label: str
    # A return, a refusal, a rejection must say why.
    needs_reason: bool = False
    # For transitions that apply to some records only (the last rung of the ladder, say). Asked only of
    # a user whose role takes the transition, so a predicate that queries costs nothing to the others.
    applies: Callable[[models.Model], bool] | None = None
    # A move that follows a decision taken elsewhere (an upheld objection rejects the application at
    # whatever step it stands): taken by services, never drawn as a button.
    drawn: bool = True


class Workflow:
    """A workflow declared as data: its model, the field holding its state, its transitions.

    `log(record, transition, by, opinion, source)` writes the timeline event of a move (a workflow
    whose history rows are its timeline has none). Subclasses whose state is not one field (the
    certification: a step while in progress, then filed or rejected) override `state` and `enter`.
    """

    reason_message = gettext_lazy("Say why.")

    def __init__(
        self,
        *,
        model: type[models.Model],
        transitions: list[Transition],
        state_field: str = "state",
        log: Callable | None = None,
        reason_message=None,
    ):
        self.model = model
        self.transitions = tuple(transitions)
        self.state_field = state_field
        self.log = log
        if reason_message is not None:
            self.reason_message = reason_message

    def state(self, record) -> str:
        return str(getattr(record, self.state_field))

    def enter(self, record, transition: Transition, *, by, opinion: str, data: dict) -> None:
        """Put `record` in the transition's target state (its fields only: `apply` saves)."""
        setattr(record, self.state_field, transition.target)

    def check(self, record, transition: Transition, *, by, opinion: str, data: dict) -> None:
        """The move's own rules, on the locked record before it moves (what a step records, what
        blocks it); raise WorkflowError to refuse. None by default."""

    def effects(self, record, transition: Transition, *, by, opinion: str, data: dict) -> None:
        """What follows the move, in the same transaction (the person's status, a mentor). None by default."""

    def actions(self, record, user) -> list[Transition]:
        """The transitions `user` may take on `record` now: the buttons to draw. `record` comes from
        `visible_to(user)`; only the role and the state are checked here."""
        if not user.is_authenticated:
            return []
        state = self.state(record)
        return [
            t
            for t in self.transitions
            if t.source == state
            and t.drawn
            and user.role in t.roles
            and (t.applies is None or t.applies(record))
        ]

    def stale(self, record) -> AlreadyDecided:
        """The error for a page that showed another state than the record's now."""
        return AlreadyDecided(_("This was already decided; the page now shows where it stands."))

    def impossible(self, record) -> WorkflowError:
        """The error for an action that no transition from the record's state offers."""
        return WorkflowError(_("That decision is not possible now."))

    def lock(self, record, *, by, expected):
        """`record` locked for this transaction, if `by` may see it (else NotVisible) and it is still in
        the state `expected` that the user's page showed (else AlreadyDecided; a missing one too)."""
        locked = self.model.objects.select_for_update().get(pk=record.pk)
        require_visible(self.model, by, locked)
        if expected is None or self.state(locked) != str(expected):
            raise self.stale(locked)
        return locked

    def apply(self, record, *, action: str, by, expected, opinion: str = "", data: dict | None = None):
        """Take `action` on `record` for `by`, if the record is still in the state `expected` that the
        user's page showed; returns the record as saved.

        Locks the row (of two users deciding at once exactly one succeeds: the second finds the state
        moved on), checks jurisdiction, the transition, the role and the reason, runs `check`, moves,
        saves with history, writes the timeline event (`log`) and runs `effects`, in one transaction.
        """
        opinion, data = (opinion or "").strip(), data or {}
        # One recount of the dashboard's figures for the whole move, not one per record it saves.
        with transaction.atomic(), rollups.batch():
            locked = self.lock(record, by=by, expected=expected)
            transition = self._transition(locked, action, by)
            if transition.needs_reason and not opinion:
                raise WorkflowError(str(self.reason_message))
            self.check(locked, transition, by=by, opinion=opinion, data=data)
            source = self.state(locked)
            self.enter(locked, transition, by=by, opinion=opinion, data=data)
            save_with_history(locked, by)
            if self.log is not None:
                self.log(locked, transition, by, opinion, source)
            self.effects(locked, transition, by=by, opinion=opinion, data=data)
            return locked

    def _transition(self, record, action: str, by) -> Transition:
        """The transition `by` takes by `action`; an action the state offers to nobody is impossible,
        one it offers to others (or, for this record, to no one: the city's last rung) is forbidden."""
        state = self.state(record)
        offered = [t for t in self.transitions if t.source == state and t.action == action]
        if not offered:
            raise self.impossible(record)
        for transition in offered:
            if by.role in transition.roles and (transition.applies is None or transition.applies(record)):
                return transition
        raise PermissionDenied


def record_save(*, by, record: models.Model) -> models.Model:
    """Save a reference record as an administration form edits it (a village's figures, an agency, a
    pairing, a mentor, a selection standard): valid, with history, and still inside `by`'s
    jurisdiction once saved (else NotVisible, and nothing is written)."""
    with transaction.atomic():
        record.full_clean()
        save_with_history(record, by)
        require_visible(type(record), by, record)
    return record
