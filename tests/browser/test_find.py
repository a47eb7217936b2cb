"""Finding cases and documents, roles, the access log, the KPI page and the case page's speed."""

from __future__ import annotations

import json
import re

import pytest

from tests.browser.conftest import SHOTS, Api, Desk, scan
from tests.browser.test_matter import CO, FORM, NAME, actions, full_case

pytestmark = pytest.mark.browser

PERSON = "11010519491231002X"


def rows(desk: Desk) -> list[str]:
    return desk.page.eval_on_selector_all("tr[data-case]", "rs => rs.map(r => r.dataset.case)")


def search(desk: Desk, **fields: str) -> list[str]:
    page = desk.page
    for selector, value in fields.items():
        element = f"#f-{selector}"
        if selector in ("state", "matter"):
            page.select_option(element, value)
        elif selector == "overdue":
            page.set_checked(element, value == "1")
        else:
            page.fill(element, value)
    page.evaluate("delete document.body.dataset.listed")
    page.click("#f-apply")
    page.wait_for_function("() => document.body.dataset.listed === location.hash")
    return rows(desk)


def accepted_case(http: Api) -> dict:
    case = full_case(http, "accepted")
    http("PUT", f"/api/v1/cases/{case['id']}/form", json={"values": FORM})
    return http("POST", f"/api/v1/cases/{case['id']}/accept", json={})


def test_case_list_filters_paging_and_search(desk: Desk, http: Api) -> None:
    page = desk.page
    food = [http("POST", "/api/v1/cases", json={"matter_id": "food-business-licence", "owner_code": CO,
                                               "applicant_name": f"{NAME}{i}"}) for i in range(21)]
    drug = http("POST", "/api/v1/cases", json={"matter_id": "drug-retail-licence", "owner_code": PERSON, "applicant_name": "李四药店"})
    desk.login("clerk")
    page.wait_for_selector("tr[data-case]")
    assert len(rows(desk)) == 20 and page.locator("#next").count() == 1
    desk.shot("case-list")
    page.click("#next")
    page.wait_for_selector("#prev")
    assert len(rows(desk)) == 2  # 22 cases: the second page holds the last two
    assert search(desk, matter="drug-retail-licence") == [drug["id"]]
    assert search(desk, matter="", search=food[3]["id"]) == [food[3]["id"]]  # by case number
    assert search(desk, search=PERSON) == [drug["id"]]  # by owner code
    assert search(desk, search="李四") == [drug["id"]]  # by name
    assert search(desk, search=f"{NAME}0") == [food[0]["id"]]  # by name, found by the server beyond the first page
    today = food[0]["received_on"]
    assert len(search(desk, search="", **{"from": today, "to": today})) == 20 and desk.page.locator("#next").count() == 1
    assert search(desk, **{"from": "", "to": "2000-01-01"}) == []  # received before a date
    assert search(desk, **{"to": ""}, search="仁心", matter="drug-retail-licence") == []
    assert search(desk, search="", matter="", state="approved") == []
    assert len(search(desk, state="collecting")) == 20
    assert search(desk, state="", **{"from": "2099-01-01"}) == []  # received after a date
    assert search(desk, **{"from": ""}, overdue="1") == []  # no 容缺 supplement is overdue
    desk.shot("case-search")
    # documents of an owner, by type, with thumbnails
    http.upload(food[0], "business_licence", "营业执照 甲")
    http.upload(food[1], "id_card", "身份证 乙")
    page.goto(f"{desk.base}/desk/#/docs")
    page.fill("#d-owner", CO)
    page.select_option("#d-type", "business_licence")
    page.click("#d-search")
    page.wait_for_selector("figure.doc img.thumb")
    assert page.locator("figure.doc").count() == 1 and "营业执照" in page.text_content("figure.doc")
    page.wait_for_function("() => document.querySelector('figure.doc img').naturalWidth > 0")
    desk.shot("documents")


def test_each_role_sees_only_what_it_may_do(desk: Desk, http: Api) -> None:
    page = desk.page
    case = accepted_case(http)
    desk.login("clerk")
    desk.open_case(case["id"])
    assert actions(desk) == ["withdraw"]  # no 批准 / 不予许可 for a clerk
    desk.login("approver")
    desk.open_case(case["id"])
    assert actions(desk) == ["approve", "reject"]
    assert page.locator("#dropzone").count() == 0 and page.locator("#form-save-all").count() == 0
    assert page.locator('input[name="company_name"]').is_disabled()
    assert "新办件" not in page.text_content("#nav")
    desk.shot("approver-view")
    desk.refreshed(lambda: page.click("#decisions [data-action=reject]"))
    assert page.text_content("#case-state") == "不予许可" and any("理由" in d for d in desk.dialogs)
    desk.login("courier")
    assert page.eval_on_selector_all("#nav a", "as => as.map(a => a.textContent)") == ["快递", "赵快递 · 快递员"]
    page.wait_for_selector("#scan-waybill")
    page.goto(f"{desk.base}/desk/#/cases")
    page.wait_for_selector("#scan-waybill")  # the courier's desk is only the scan screen
    assert page.locator("tr[data-case]").count() == 0
    desk.shot("courier-only")
    desk.login("admin")
    assert {"办件", "新办件", "文件", "查阅记录", "指标", "快递"} <= set(
        page.eval_on_selector_all("#nav a", "as => as.map(a => a.textContent)"))


def test_access_log_and_kpi_charts(desk: Desk, http: Api) -> None:
    page = desk.page
    desk.widths = (1280, 800)
    case = accepted_case(http)
    http("POST", f"/api/v1/cases/{case['id']}/approve", role="approver", json={})
    desk.login("clerk")
    desk.open_case(case["id"])  # the clerk looks at the scans: the reads are logged
    page.wait_for_function("() => [...document.querySelectorAll('img.thumb')].every(i => i.complete)")
    page.goto(f"{desk.base}/desk/#/log")
    page.fill("#l-owner", CO)
    page.click("#l-search")
    page.wait_for_selector("table tbody tr")
    log = page.text_content("table")
    assert "王小红" in log and "窗口人员" in log and case["id"] in log
    desk.shot("access-log")
    # the business licence, once read (valid 长期), spares the next case of the same owner its copy
    licence = next(m["doc_id"] for m in case["materials"] if "business_licence" in m["doc_types"])
    desk.container.archive.put_derived(licence, "ocr", {"doc_type": "business_licence", "fields": {
        "名称": {"value": NAME, "confidence": 0.95}, "营业期限": {"value": "长期", "confidence": 0.95}}})
    again = http("POST", "/api/v1/cases", json={"matter_id": "food-business-licence", "owner_code": CO, "applicant_name": NAME})
    assert [m["status"] for m in again["materials"] if m["doc_id"] == licence] == ["reused"]
    page.goto(f"{desk.base}/desk/#/kpi")
    page.wait_for_selector("svg.chart")
    titles = page.eval_on_selector_all("figure.kpi figcaption", "fs => fs.map(f => f.textContent)")
    assert {"即办件率", "提前办结率", "平均办理时限（工作日）", "材料免提交率（按月）", "材料免提交率（按事项）"} <= set(titles)
    month = page.locator("#kpi-months figure.kpi", has_text="材料免提交率（按月）")
    assert month.locator("rect.bar").count() == 6  # the six months, from one API call (reuse_by_month)
    reuse = http("GET", "/api/v1/metrics")["reuse"]  # the same figures as the API gives: at least the licence reused
    assert reuse["reused"] >= 1 and reuse["satisfied"] == 9 + reuse["reused"]
    assert page.text_content("#kpi-reuse-total") == (
        f"近六个月：{reuse['reused']} / {reuse['satisfied']} 项材料免提交（材料免提交率 {reuse['no_copy_rate']}）")
    assert month.locator("text.val").last.text_content() == f"{float(reuse['no_copy_rate'][:-1]):g}%"  # this month
    assert page.locator("svg.chart rect.bar").count() > 10
    desk.shot("kpi")


def test_case_page_with_twenty_documents_is_measured(desk: Desk, http: Api) -> None:
    page = desk.page
    case = full_case(http, "20")
    for i in range(11):  # more pages handed in for the same case (20 documents in all)
        http("POST", "/api/v1/documents", files={"file": (f"extra{i}.png", scan(f"附页 {i}"), "image/png")},
             data={"owner_code": CO, "doc_type": "other", "case_ref": case["id"]})
    desk.login("clerk")
    timings = []
    for visit in ("first", "second"):
        page.goto(f"{desk.base}/desk/#/case/{case['id']}")
        page.reload()
        page.wait_for_function("id => document.body.dataset.caseReady === id", arg=case["id"])
        ready = page.evaluate("performance.now()")
        page.wait_for_function("() => [...document.querySelectorAll('img.thumb')].every(i => i.complete && i.naturalWidth > 0)")
        images = page.evaluate("performance.now()")
        nav = page.evaluate("JSON.stringify(performance.getEntriesByType('navigation')[0].toJSON())")
        timings.append({"visit": visit, "interactive_ms": round(ready), "thumbnails_ms": round(images),
                        "dom_content_loaded_ms": round(json.loads(nav)["domContentLoadedEventEnd"])})
    assert page.locator("#case-docs figure.doc").count() == 20
    (SHOTS / "case-page-timing.json").write_text(json.dumps(timings, indent=1))
    print("case page with 20 documents:", timings)


def test_cases_by_service_centre(desk: Desk, http: Api) -> None:
    """An admin narrows the list to one centre; a clerk of another centre never sees its cases."""
    keys = desk.container.archive.keys
    desk.keys["ouhai"] = keys.create(name="ouhai clerk", role="clerk", centre="wz-ouhai", display_name="周瓯海")[0]
    desk.keys["lucheng"] = keys.create(name="lucheng clerk", role="clerk", centre="wz-lucheng", display_name="吴鹿城")[0]
    ouhai = http("POST", "/api/v1/cases", role="ouhai", json={"matter_id": "drug-retail-licence", "owner_code": PERSON,
                                                              "applicant_name": "瓯海药店"})
    lucheng = http("POST", "/api/v1/cases", role="lucheng", json={"matter_id": "drug-retail-licence", "owner_code": PERSON,
                                                                  "applicant_name": "鹿城药店"})
    assert (ouhai["centre"], lucheng["centre"]) == ("wz-ouhai", "wz-lucheng")
    desk.login("admin")
    desk.page.wait_for_selector("tr[data-case]")
    assert set(rows(desk)) == {ouhai["id"], lucheng["id"]}
    assert search(desk, centre="wz-ouhai") == [ouhai["id"]]
    assert desk.page.text_content(f"tr[data-case='{ouhai['id']}'] td.centre") == "wz-ouhai"
    desk.shot("cases-by-centre")
    desk.login("lucheng", "clerk")
    desk.page.wait_for_selector("tr[data-case]")
    assert rows(desk) == [lucheng["id"]]  # the other centre's case is not listed
    assert desk.page.locator("#f-centre").count() == 0 and "wz-lucheng" in desk.page.text_content("#my-centre")
    assert search(desk, search=ouhai["id"]) == []  # nor found by its number
