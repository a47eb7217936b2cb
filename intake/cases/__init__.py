"""Cases (办件): the state machine, the case service and what it returns."""

from intake.cases.actions import CaseActions
from intake.cases.allowed import ACTIONS, allowed_actions
from intake.cases.checking import CaseChecks, CaseReview
from intake.cases.form import FormService
from intake.cases.service import CHINA_TZ, CaseService, new_case_id
from intake.cases.states import FINISHED, STATE_ZH, STATES, TRANSITIONS, CaseState, allowed_targets, check_transition
from intake.cases.views import CaseView, MaterialView, TransitionView

__all__ = [
    "ACTIONS",
    "CHINA_TZ",
    "CaseChecks",
    "CaseReview",
    "STATE_ZH",
    "allowed_actions",
    "CaseActions",
    "FormService",
    "CaseService",
    "CaseState",
    "CaseView",
    "FINISHED",
    "MaterialView",
    "STATES",
    "TRANSITIONS",
    "TransitionView",
    "allowed_targets",
    "check_transition",
    "new_case_id",
]
