"""An approved case gets its licence: the case moves approved → issued, and only once."""

from __future__ import annotations

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
