"""Cases (办件): the state machine, the case service and what it returns."""

from intake.cases.actions import CaseActions
from intake.cases.form import FormService
from intake.cases.service import CHINA_TZ, CaseService, new_case_id
from intake.cases.states import FINISHED, STATES, TRANSITIONS, CaseState, allowed_targets, check_transition
from intake.cases.views import CaseView, MaterialView, TransitionView

__all__ = [
    "CHINA_TZ",
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
