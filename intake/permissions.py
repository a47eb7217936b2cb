"""Who may do what: roles x actions as data (DESIGN.md §5), read by services and routes alike.

Roles are the archive's (``archive.ROLES``); an action is a verb on a resource. Changing a grant
is one line here: no role tuples elsewhere.
"""

from __future__ import annotations

from enum import Enum

from archive import ROLES

__all__ = ["Action", "CENTRE_BOUND", "GRANTS", "OWNER_BOUND", "PURPOSE_REQUIRED", "allowed", "centre_bound",
           "masked_for", "needs_purpose", "owner_bound", "roles_for"]


class Action(str, Enum):
    DOCUMENT_UPLOAD = "document.upload"
    DOCUMENT_READ = "document.read"
    ACCESS_LOG_READ = "access_log.read"
    JOB_READ = "job.read"
    MATTER_READ = "matter.read"
    CASE_READ = "case.read"
    CASE_WORK = "case.work"  # open, collect materials, fill the form, accept, notices, withdraw
    CASE_DECIDE = "case.decide"  # approve or reject
    CASE_OVERRIDE = "case.override"  # accept a named blocking finding, with a reason (audited)
    LICENCE_READ = "licence.read"
    LICENCE_ISSUE = "licence.issue"  # issue, revoke, supersede
    METRICS_READ = "metrics.read"
    DELIVERY_MANAGE = "delivery.manage"  # the clerk's delivery choice and returned parcels
    PARCEL_READ = "parcel.read"  # dispatch lists, parcels, labels
    PARCEL_SCAN = "parcel.scan"
    RECIPIENT_UNMASKED = "recipient.unmasked"  # see recipients' full names, phones and addresses


_STAFF = frozenset({"clerk", "approver", "admin"})
_DESK = frozenset({"clerk", "admin"})
_DECIDERS = frozenset({"approver", "admin"})

GRANTS: dict[Action, frozenset[str]] = {
    Action.DOCUMENT_UPLOAD: _STAFF | {"system"},
    Action.DOCUMENT_READ: _STAFF | {"system"},
    Action.ACCESS_LOG_READ: _STAFF | {"applicant"},  # an applicant: their own, as "who used my documents"
    Action.JOB_READ: _STAFF | {"system"},
    Action.MATTER_READ: frozenset(ROLES),
    Action.CASE_READ: _STAFF,
    Action.CASE_WORK: _DESK,
    Action.CASE_DECIDE: _DECIDERS,
    Action.CASE_OVERRIDE: _DECIDERS,
    Action.LICENCE_READ: _STAFF | {"system", "applicant"},  # an applicant: their own licences only
    Action.LICENCE_ISSUE: _DECIDERS,
    Action.METRICS_READ: _STAFF,
    Action.DELIVERY_MANAGE: _DESK,
    Action.PARCEL_READ: _DESK | {"courier"},
    Action.PARCEL_SCAN: frozenset({"courier", "admin"}),
    Action.RECIPIENT_UNMASKED: frozenset(ROLES) - {"courier"},
}
assert all(roles <= set(ROLES) for roles in GRANTS.values()), "a grant names a role the archive does not know"


PURPOSE_REQUIRED: frozenset[str] = frozenset({"system"})
"""Roles that must state case and purpose of every read of an owner's data, and see only their scopes."""


CENTRE_BOUND: frozenset[str] = frozenset({"clerk", "approver"})
"""Roles that see and act on their own service centre's cases only (and 全城通办 ones the policy
allows their centre); the access log they see is limited to owners with a case they may see."""

OWNER_BOUND: frozenset[str] = frozenset({"applicant"})
"""Roles whose key stands for one owner (citizen or company) and reads only that owner's data."""


def centre_bound(role: str) -> bool:
    return role in CENTRE_BOUND


def owner_bound(role: str) -> bool:
    return role in OWNER_BOUND


def needs_purpose(role: str) -> bool:
    return role in PURPOSE_REQUIRED


def allowed(role: str, action: Action) -> bool:
    return role in GRANTS[action]


def roles_for(action: Action) -> frozenset[str]:
    return GRANTS[action]


def masked_for(role: str) -> bool:
    """Couriers see recipients masked (``王**``, ``131****1907``); everyone else sees them whole."""
    return not allowed(role, Action.RECIPIENT_UNMASKED)
