"""What the desk asks the server instead of filtering one fetched page: documents by OCR text, owner and
type; cases by received day and name; matters with their licence type (issue 14)."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import quote

import yaml
from PIL import Image

from standards import TEMPLATES_DIR

USCC = "91350100M000100Y43"
PERSON = "11010519491231002X"
READING = {"X-Case-Ref": "ZJ-2026-0042", "X-Purpose": quote("食品经营许可审查")}


def png(n: int) -> bytes:
    out = io.BytesIO()
    Image.new("L", (40 + n, 30), 255).save(out, "PNG")  # a different size: different bytes, a new document
    return out.getvalue()


def stored(client, container, key, n: int, owner: str, doc_type: str, text: str | None) -> str:
    answer = client.post("/api/v1/documents", headers={"Authorization": f"Bearer {key}"},
                         files={"file": (f"s{n}.png", png(n), "image/png")}, data={"owner_code": owner, "doc_type": doc_type})
    assert answer.status_code == 201, answer.text
    doc_id = answer.json()["id"]
    if text is not None:
        container.archive.put_text(doc_id, text)  # what the OCR worker stores with the result
    return doc_id


def found(client, headers, **params) -> list[str]:
    answer = client.get("/api/v1/documents/search", headers=headers, params=params)
    assert answer.status_code == 200, answer.text
    return [d["id"] for d in answer.json()["items"]]


def test_documents_are_found_by_ocr_text_owner_and_type(app_client, container, make_key, bearer) -> None:
    clerk = make_key("clerk")
    h = bearer(clerk)
    lic = stored(app_client, container, clerk, 1, USCC, "business_licence", "营业执照\n名称 温州仁心大药房有限公司\n住所 五马街1号")
    card = stored(app_client, container, clerk, 2, PERSON, "id_card", "居民身份证\n姓名 张三\n住址 温州市五马街2号")
    lease = stored(app_client, container, clerk, 3, USCC, "lease_contract", "租赁合同 50%_优惠 \"甲方\" \\ 乙方")
    stored(app_client, container, clerk, 4, USCC, "id_card", None)  # never read: no text

    assert set(found(app_client, h, text="五马街")) == {lic, card}  # across owners, newest first
    assert found(app_client, h, text="五马街", owner_code=PERSON) == [card]
    assert found(app_client, h, text="五马街", doc_type="business_licence") == [lic]
    assert found(app_client, h, text="仁心大药房") == [lic] and found(app_client, h, text="ZHANG") == []
    assert found(app_client, h, text="text") == []  # the JSON key the text is stored under never matches
    assert found(app_client, h, text="50%_优") == [lease] and found(app_client, h, text="5%") == []  # no wildcards
    assert found(app_client, h, text='"甲方"') == [lease] and found(app_client, h, text="\\ 乙") == [lease]
    assert len(found(app_client, h, owner_code=USCC)) == 3  # by owner alone, with or without text
    page = app_client.get("/api/v1/documents/search", headers=h, params={"owner_code": USCC, "limit": 2}).json()
    assert len(page["items"]) == 2 and page["has_more"] is True
    assert app_client.get("/api/v1/documents/search", headers=h, params={"text": "x", "limit": 501}).status_code == 422

    nothing = app_client.get("/api/v1/documents/search", headers=h)
    assert nothing.status_code == 422 and nothing.json()["field"] == "text" and nothing.json()["message_zh"]


def test_every_owner_a_search_answers_is_in_the_access_log(app_client, container, make_key, bearer) -> None:
    clerk = make_key("clerk", name="search-clerk")
    stored(app_client, container, clerk, 1, USCC, "business_licence", "五马街 甲")
    stored(app_client, container, clerk, 2, PERSON, "id_card", "五马街 乙")
    before = {o: len(container.archive.access.for_owner(o)) for o in (USCC, PERSON)}
    found(app_client, bearer(clerk), text="五马街")
    for owner in (USCC, PERSON):
        rows = container.archive.access.for_owner(owner)
        assert len(rows) == before[owner] + 1
        assert any(r.action == "search" and r.actor_name == "search-clerk" for r in rows)


def test_a_system_key_names_the_owner_states_its_purpose_and_sees_only_its_scopes(
        app_client, container, make_key, bearer) -> None:
    clerk = make_key("clerk")
    lic = stored(app_client, container, clerk, 1, USCC, "business_licence", "五马街 甲")
    stored(app_client, container, clerk, 2, USCC, "id_card", "五马街 乙")
    system = bearer(make_key("system", ["business_licence"]))
    assert app_client.get("/api/v1/documents/search", headers=system, params={"owner_code": USCC}).status_code == 400
    across = app_client.get("/api/v1/documents/search", headers=system | READING, params={"text": "五马街"})
    assert across.status_code == 422 and across.json()["field"] == "owner_code"
    assert found(app_client, system | READING, owner_code=USCC, text="五马街") == [lic]  # not the ID card
    other = app_client.get("/api/v1/documents/search", headers=system | READING, params={"owner_code": USCC, "doc_type": "id_card"})
    assert other.status_code == 403
    for key in (make_key("courier"), make_key("applicant", owner_code=USCC)):  # not even the owner's own key
        answer = app_client.get("/api/v1/documents/search", headers=bearer(key), params={"owner_code": USCC})
        assert answer.status_code == 403


def test_cases_are_filtered_by_received_day_and_name_in_the_query(app_client, container, make_key, bearer) -> None:
    h = bearer(make_key("clerk"))
    made = [app_client.post("/api/v1/cases", headers=h, json={"matter_id": "food-business-licence", "owner_code": USCC,
                                                           "applicant_name": name}).json()
            for name in ("温州仁心食品有限公司", "李四药店", "100%_纯净水厂")]
    today = made[0]["received_on"]

    def listed(**params) -> list[str]:
        answer = app_client.get("/api/v1/cases", headers=h, params=params)
        assert answer.status_code == 200, answer.text
        return [c["id"] for c in answer.json()["cases"]]

    assert listed(q="李四") == [made[1]["id"]] and listed(q="仁心") == [made[0]["id"]]
    assert listed(q=made[2]["id"][-6:].lower()) == [made[2]["id"]]  # part of the case number, any case
    assert listed(q="%_") == [made[2]["id"]] and listed(q="0%") == [made[2]["id"]] and listed(q="1%水") == []
    assert len(listed(**{"from": today, "to": today})) == 3
    assert listed(**{"from": "2099-01-01"}) == [] and listed(to="2000-01-01") == []
    assert listed(q="李四", limit=1, offset=0) == [made[1]["id"]] and listed(q="李四", offset=1) == []
    assert app_client.get("/api/v1/cases", headers=h, params={"from": "not-a-day"}).status_code == 422
    assert app_client.get("/api/v1/cases", headers=h, params={"limit": 501}).status_code == 422


def test_every_matter_names_a_shipped_licence_type(app_client, make_key, bearer) -> None:
    h = bearer(make_key("clerk"))
    shipped = {yaml.safe_load(p.read_text("utf-8"))["id"] for p in Path(TEMPLATES_DIR, "licences").glob("*.yaml")}
    matters = app_client.get("/api/v1/matters", headers=h).json()["matters"]
    assert matters and all(m["licence_type"] in shipped for m in matters), [(m["id"], m["licence_type"]) for m in matters]
    one = app_client.get("/api/v1/matters/food-business-licence", headers=h).json()
    assert one["licence_type"] == "food_business"
    types = app_client.get("/api/v1/licences/types").json()
    assert {t["id"] for t in types} >= {m["licence_type"] for m in matters}
