"""An approved case gets its licence: the case moves approved → issued, and only once."""

from __future__ import annotations

import threading

from archive import Actor

HOLDER = "91330302MA2AB3CD4J"


def _approved_case(container) -> str:  # type: ignore[no-untyped-def]
    cases = container.cases
    clerk, approver = Actor("clerk-1", "clerk"), Actor("approver-1", "approver")
    case = cases.create(matter_id="food-business-licence", owner_code=HOLDER, actor=clerk,
                        applicant_name="温州市鹿城区好味道餐饮有限公司")
    cases.transition(case.id, "accepted", clerk, "materials complete")
    cases.transition(case.id, "approved", approver, "准予许可")
    return case.id


def test_approval_then_issuance_moves_the_case_to_issued(app_client, approver, container) -> None:  # type: ignore[no-untyped-def]
    case_id = _approved_case(container)
    data = app_client.get("/api/v1/licences/types/food_business/example").json()
    del data["holder_code"]  # taken from the case
    response = app_client.post("/api/v1/licences", headers=approver,
                               json={"type": "food_business", "data": data, "case_id": case_id})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["case_id"] == case_id and body["holder"]["code"] == HOLDER
    assert container.cases.get(case_id).state == "issued"
    assert container.licences.issued_document_ids(case_id) == [body["document_id"]]
    again = app_client.post("/api/v1/licences", headers=approver,
                            json={"type": "food_business", "data": data, "case_id": case_id})
    assert again.status_code == 409  # the case is issued now: no second licence


def test_a_case_that_is_not_approved_gets_no_licence(app_client, approver, container) -> None:  # type: ignore[no-untyped-def]
    case = container.cases.create(matter_id="food-business-licence", owner_code=HOLDER,
                                  actor=Actor("clerk-1", "clerk"))
    data = app_client.get("/api/v1/licences/types/food_business/example").json()
    response = app_client.post("/api/v1/licences", headers=approver,
                               json={"type": "food_business", "data": data, "case_id": case.id})
    assert response.status_code == 409 and response.json()["code"] == "illegal_transition"
    assert container.licences.list(case_id=case.id) == []


def test_the_holder_must_be_the_applicant(app_client, approver, container) -> None:  # type: ignore[no-untyped-def]
    case_id = _approved_case(container)
    data = app_client.get("/api/v1/licences/types/food_business/example").json()
    data["holder_code"] = "91350100M000100Y43"
    response = app_client.post("/api/v1/licences", headers=approver,
                               json={"type": "food_business", "data": data, "case_id": case_id})
    assert response.status_code == 422 and container.cases.get(case_id).state == "approved"


def test_two_approvers_issuing_the_same_case_at_once_get_one_licence(container) -> None:  # type: ignore[no-untyped-def]
    """Both requests pass "approved, no licence yet" at the same moment: only one may sign and archive."""
    from intake.errors import IntakeError
    from intake.licences import issue_for_approved_case

    case_id = _approved_case(container)
    data = container.licences.example("food_business")
    del data["holder_code"]
    start = threading.Barrier(3)
    outcomes: list[object] = []

    def approve(name: str) -> None:
        start.wait()
        try:
            outcomes.append(issue_for_approved_case(container.licences, container.cases, case_id, "food_business",
                                                    data, actor=Actor(name, "approver")))
        except IntakeError as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=approve, args=(f"approver-{i}",)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    issued = [o for o in outcomes if not isinstance(o, Exception)]
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(issued) == 1 and len(refused) == 2, outcomes
    assert {e.code for e in refused} <= {"licence_case_busy", "illegal_transition", "licence_state_conflict"}
    assert len(container.licences.list(case_id=case_id)) == 1
    assert len(container.archive.list(HOLDER, "licence.food_business")) == 1  # nothing extra in the WORM archive
    assert container.cases.get(case_id).state == "issued"


def test_a_case_being_issued_answers_409_and_a_crashed_claim_expires(app_client, approver, container) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime, timedelta, timezone

    from intake.licences.claims import STALE_AFTER, claim_case
    from intake.licences.tables import CaseClaimRow

    case_id = _approved_case(container)
    data = app_client.get("/api/v1/licences/types/food_business/example").json()
    del data["holder_code"]
    body = {"type": "food_business", "data": data, "case_id": case_id}
    with claim_case(container.licences.sessions, case_id, Actor("approver-2", "approver")):
        busy = app_client.post("/api/v1/licences", headers=approver, json=body)
    assert busy.status_code == 409 and busy.json()["code"] == "licence_case_busy" and busy.json()["message_zh"]
    assert container.licences.list(case_id=case_id) == []

    with container.licences.sessions.begin() as session:  # left behind by a process that died mid-issuance
        session.add(CaseClaimRow(case_id=case_id, token="dead", claimed_by="approver-3",
                                 claimed_at=datetime.now(timezone.utc) - STALE_AFTER - timedelta(minutes=1)))
    assert app_client.post("/api/v1/licences", headers=approver, json=body).status_code == 201
    with container.licences.sessions() as session:
        assert session.get(CaseClaimRow, case_id) is None  # released after issuance
