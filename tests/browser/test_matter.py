"""A clerk, an approver and a courier carry one matter through the desk in real Chromium."""

from __future__ import annotations

import re

import pytest

from ocr.identifiers import uscc_check_char
from tests.browser.conftest import Api, Desk, pdf_bundle, scan

pytestmark = pytest.mark.browser

CO = "91330302MA2AB1C2D" + uscc_check_char("91330302MA2AB1C2D")
NAME = "温州仁心食品有限公司"
MAIN = ["application_form", "business_licence", "id_card", "equipment_layout", "food_safety_rules"]
SECONDARY = ["power_of_attorney", "lease_contract", "floor_plan", "health_certificate"]
FORM = {"company_name": NAME, "uscc": CO, "legal_rep": "张三", "legal_rep_id": "11010519491231002X",
        "address": "浙江省温州市鹿城区五马街1号", "premises": "浙江省温州市鹿城区五马街1号",
        "business_form": "食品销售经营者", "food_scope": "预包装食品销售"}


def png(name: str, text: str) -> dict[str, object]:
    return {"name": name, "mimeType": "image/png", "buffer": scan(text)}


def open_case_in_desk(desk: Desk) -> str:
    page = desk.page
    desk.login("clerk")
    page.click("text=新办件")
    page.fill("#matter-search", "食品经营")
    assert page.locator("#matter option").first.text_content().startswith("食品经营许可")
    page.fill("#owner-code", CO[:-1] + ("0" if CO[-1] != "0" else "1"))
    assert "校验位不符" in page.text_content("#owner-hint")
    page.fill("#owner-code", CO)
    assert "✓" in page.text_content("#owner-hint")
    page.fill("#applicant-name", NAME)
    page.fill("#contact-phone", "13105771234")
    desk.shot("new-case")
    page.click("#open-case")
    page.wait_for_function("() => !!document.body.dataset.caseReady")
    return page.evaluate("document.body.dataset.caseReady")


def upload_many(desk: Desk, files: list[dict[str, object]]) -> None:
    page = desk.page
    page.set_input_files("#upload-files", files)
    assert page.locator("#upload-pending li").count() == len(files)
    desk.refreshed(lambda: page.click("#upload-send"))


def fill_form(desk: Desk, values: dict[str, str]) -> None:
    for name, value in values.items():
        desk.page.fill(f'input[name="{name}"]', value)
    desk.refreshed(lambda: desk.page.click("#form-save-all"))


def full_case(http: Api, tag: str) -> dict:
    """A food-business case (opened over HTTP) with every material handed in; the form still empty."""
    case = http("POST", "/api/v1/cases", json={"matter_id": "food-business-licence", "owner_code": CO, "applicant_name": NAME})
    for t in MAIN + SECONDARY:
        http.upload(case, t, f"{t} {tag}")
    return case


def actions(desk: Desk) -> list[str]:
    return desk.page.eval_on_selector_all("#decisions button", "bs => bs.map(b => b.dataset.action)")


def test_the_whole_matter_from_case_to_delivered_parcel(desk: Desk) -> None:
    page = desk.page
    desk.widths = (1280, 800)
    case_id = open_case_in_desk(desk)
    assert page.text_content("#case-state") == "收件中"
    desk.shot("case-opened")
    # five main materials at once: one is a two-page PDF bundle
    files = [{"name": "申请书.pdf", "mimeType": "application/pdf", "buffer": pdf_bundle(["申请书 第1页", "申请书 第2页"])}]
    files += [png(f"{t}.png", f"{t} 原件") for t in MAIN[1:]]
    upload_many(desk, files)
    statuses = page.eval_on_selector_all("tr[data-material] .badge", "els => els.map(e => e.textContent)")
    assert statuses[:5] == ["已提交"] * 5 and set(statuses[5:]) == {"缺"}
    page.wait_for_function("() => [...document.querySelectorAll('tr[data-material] img.thumb')].every(i => i.complete && i.naturalWidth > 0)")
    assert page.locator("tr[data-material] img.thumb").count() == 5
    page.click('tr[data-material="application-form"] .thumbwrap')
    page.wait_for_function("() => { const i = document.querySelector('#scan img'); return i && i.naturalWidth > 500; }")
    desk.shot("uploaded-with-preview")
    # checks say what to do: required form fields are empty and block the decision
    assert "form_required_empty" in page.eval_on_selector_all("#checks li", "ls => ls.map(l => l.dataset.code)")
    assert "怎么办" in page.text_content("#checks")
    assert "accept" not in actions(desk) and "approve" not in actions(desk)
    fill_form(desk, FORM)
    assert page.locator("#checks li.blocking").count() == 0
    assert page.text_content('tr[data-field="uscc"] .source') == "来源：办件登记"
    upload_many(desk, [png(f"{t}.png", f"{t} 原件") for t in SECONDARY])
    assert actions(desk) == ["accept", "withdraw"]
    desk.shot("complete")
    desk.refreshed(lambda: page.click("#decisions [data-action=accept]"))
    assert any("确认受理" in d for d in desk.dialogs)
    assert page.text_content("#case-state") == "已受理"
    assert actions(desk) == ["withdraw"]  # a clerk may not approve
    # the approver approves and issues the licence from the case
    desk.login("approver")
    desk.open_case(case_id)
    assert actions(desk) == ["approve", "reject"]
    desk.refreshed(lambda: page.click("#decisions [data-action=approve]"))
    assert page.text_content("#case-state") == "准予许可"
    # the licence type comes from the matter; its rows are labelled as printed on the licence
    assert page.text_content('tr[data-key="holder_name"] td.label').startswith("经营者名称")
    assert page.text_content('tr[data-key="business_type"] td.label').startswith("主体业态代码")
    desk.shot("licence-draft")
    page.fill('input[name="business_type"]', "9")
    page.fill('input[name="complaint_phone"]', "12315")
    page.click("#issue-licence")
    page.wait_for_selector("#toast.error")
    assert "主体业态代码格式有误" in page.text_content("#toast")  # which field, in Chinese
    desk.shot("licence-refused-field", toast=True)
    page.fill('input[name="business_type"]', "1")
    desk.refreshed(lambda: page.click("#issue-licence"))
    assert page.text_content("#case-state") == "已发证"
    with page.expect_download() as got:
        page.click(".licence-download")
    assert got.value.suggested_filename.endswith(".pdf")
    assert open(got.value.path(), "rb").read(5) == b"%PDF-"
    desk.shot("licence-issued")
    # the clerk chooses delivery by courier and prints the label
    desk.login("clerk")
    desk.open_case(case_id)
    page.select_option("#delivery-method", "courier")
    page.fill("#r-address", "浙江省温州市鹿城区五马街1号")
    desk.refreshed(lambda: page.click("#delivery-save"))
    waybill = page.get_attribute(".parcel", "data-waybill")
    assert waybill and "待揽收" in page.text_content(".parcel")
    with page.expect_download() as got:
        page.click(".label-zpl")
    assert open(got.value.path(), "rb").read().startswith(b"^XA")
    with page.expect_popup() as popup:
        page.click(".label-pdf")
    assert popup.value.url.startswith("blob:")
    popup.value.close()
    desk.shot("delivery-label")
    # the courier's phone screen: pick up, deliver
    desk.login("courier")
    page.set_viewport_size({"width": 390, "height": 800})
    assert page.eval_on_selector_all("#nav a", "as => as.map(a => a.textContent)")[:-1] == ["快递"]
    page.wait_for_selector(f'#parcels li[data-waybill="{waybill}"]')
    for button, state in (("#scan-pickup", "已揽收"), ("#scan-deliver", "已妥投")):
        page.fill("#scan-waybill", waybill)
        page.click(button)
        page.wait_for_function("s => document.querySelector('#scan-result').textContent.includes(s)", arg=state)
    page.screenshot(path=str(desk.shots / "courier-390.png"), full_page=True)
    desk.login("clerk")
    desk.open_case(case_id)
    assert page.text_content("#case-state") == "已送达"
    desk.shot("delivered")


def test_accept_with_deficiency_then_the_supplement(desk: Desk) -> None:
    page = desk.page
    desk.widths = (1280, 800)
    case_id = open_case_in_desk(desk)
    upload_many(desk, [png(f"{t}.png", f"{t} 容缺") for t in MAIN])
    fill_form(desk, FORM)
    assert set(actions(desk)) == {"accept_with_deficiency", "issue_notice", "withdraw"}
    assert "可容缺受理" in page.text_content("section:has(#decisions)")
    desk.refreshed(lambda: page.click("#decisions [data-action=accept_with_deficiency]"))
    assert page.text_content("#case-state") == "容缺受理"
    assert "容缺受理通知书" in page.text_content("#notices")
    with page.expect_popup() as popup:
        page.click("#notices button")
    popup.value.close()
    desk.shot("deficiency-notice")
    # the supplement: each still-missing secondary material uploaded on its own row
    for material in ("power-of-attorney", "lease", "floor-plan", "health-certificates"):
        row = page.locator(f'tr[data-material="{material}"]')
        row.locator(".m-file").set_input_files([png(f"{material}.png", f"{material} 补正")])
        desk.refreshed(lambda: row.locator(".m-upload").click())
    assert set(page.eval_on_selector_all("tr[data-material] .badge", "els => els.map(e => e.textContent)")) == {"已提交"}
    assert "accept" in actions(desk)
    desk.refreshed(lambda: page.click("#decisions [data-action=accept]"))
    assert page.text_content("#case-state") == "已受理"
    desk.shot("supplement-accepted")
    assert case_id


def test_a_wrong_type_upload_is_refused_in_chinese_with_the_reason(desk: Desk, http: Api) -> None:
    page = desk.page
    case = http("POST", "/api/v1/cases", json={"matter_id": "food-business-licence", "owner_code": CO, "applicant_name": NAME})
    http.upload(case, "business_licence", "营业执照 一")
    desk.login("clerk")
    desk.open_case(case["id"])
    page.set_input_files("#upload-files", [png("again.png", "营业执照 二"),
                                           {"name": "notes.pdf", "mimeType": "application/pdf", "buffer": b"just some text"}])
    page.select_option("#upload-pending li:nth-child(1) select", "business_licence")
    page.click("#upload-send")
    page.wait_for_selector("#upload-list li.failed >> nth=1")
    lines = page.eval_on_selector_all("#upload-list li.failed", "ls => ls.map(l => l.textContent)")
    assert "422" in lines[0] and "尚缺的任何材料" in lines[0] and "尚缺的材料须为" in lines[0]
    assert re.search(r"41[05]|422", lines[1]) and re.search(r"[\u4e00-\u9fff]", lines[1])
    desk.shot("wrong-type-refused")


def test_a_blocking_check_is_resolved_or_overridden_by_an_approver(desk: Desk, http: Api) -> None:
    page = desk.page
    case = full_case(http, "check")
    desk.login("clerk")
    desk.open_case(case["id"])
    fill_form(desk, FORM | {"legal_rep_id": "110105194912310021", "food_scope": ""})
    codes = page.eval_on_selector_all("#checks li.blocking", "ls => ls.map(l => l.dataset.code)")
    assert "form_required_empty" in codes and "form_value_invalid" in codes
    assert "accept" not in actions(desk) and page.locator("button.override").count() == 0
    desk.shot("blocking-checks")
    fill_form(desk, {"food_scope": "预包装食品销售"})  # resolved by the clerk
    codes = page.eval_on_selector_all("#checks li.blocking", "ls => ls.map(l => l.dataset.code)")
    assert codes == ["form_value_invalid"]
    desk.login("approver")  # overridden by an approver, with a reason
    desk.open_case(case["id"])
    desk.refreshed(lambda: page.click("#checks li.blocking button.override"))
    assert "已放行" in page.text_content("#checks") and page.locator("#checks li.blocking").count() == 0
    desk.login("clerk")
    desk.open_case(case["id"])
    assert "accept" in actions(desk)
    desk.shot("check-overridden")
