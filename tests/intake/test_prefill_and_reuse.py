"""Pre-fill and reuse: each value with its source, disagreeing sources a conflict the clerk resolves,
identifiers checked; archived documents reused only while still valid."""

from __future__ import annotations

import datetime as dt

import pytest

from archive import DocumentRecord
from intake.cases import FormService
from intake.errors import IllegalTransitionError, InvalidInputError, UnknownFieldError
from intake.matters import Reuse
from intake.prefill import Candidate, prefill
from intake.reuse import is_reusable, parse_expiry, valid_until

D = dt.date


@pytest.mark.parametrize("text, expected", [
    ("2016.03.01-2036.03.01", D(2036, 3, 1)),
    ("2020年01月01日至2040年12月31日", D(2040, 12, 31)),
    ("2019年03月01日至长期", D.max),
    ("长期", D.max),
    ("2016-03-01 至 2026-02-30", None),  # an impossible end date: cannot tell (never the start)
    ("见背面", None),
    ("", None),
])
def test_expiry_texts(text: str, expected: D | None) -> None:
    assert parse_expiry(text) == expected


def _record(doc_type: str, created: dt.datetime) -> DocumentRecord:
    return DocumentRecord(
        id="d1", sha256="0" * 64, size=1, media_type="image/png", filename=None, owner_code="X",
        owner_code_type="uscc", doc_type=doc_type, case_ref="BJ1", created_at=created,
        retention_until=created + dt.timedelta(days=3650),
    )


def test_reuse_rules() -> None:
    archived = dt.datetime(2025, 12, 1, tzinfo=dt.timezone.utc)
    lease = _record("lease_contract", archived)
    one_year = Reuse(allowed=True, max_age_days=365)
    assert valid_until(lease, None, one_year) == D(2026, 12, 1)
    assert is_reusable(lease, None, one_year, ("lease_contract",), D(2026, 12, 1))
    assert not is_reusable(lease, None, one_year, ("lease_contract",), D(2026, 12, 2))
    assert not is_reusable(lease, None, one_year, ("property_certificate",), D(2026, 1, 1))
    assert not is_reusable(lease, None, Reuse(), ("lease_contract",), D(2026, 1, 1))

    card = _record("id_card", archived)
    until_expiry = Reuse(allowed=True, until_expiry=True)
    ocr = {"fields": {"有效期限": {"value": "2016.05.01-2026.05.01"}}}
    assert is_reusable(card, ocr, until_expiry, ("id_card",), D(2026, 5, 1))
    assert not is_reusable(card, ocr, until_expiry, ("id_card",), D(2026, 5, 2))
    assert not is_reusable(card, None, until_expiry, ("id_card",), D(2026, 1, 1))  # expiry unknown: not reused
    both = Reuse(allowed=True, until_expiry=True, max_age_days=30)
    assert valid_until(card, ocr, both) == D(2025, 12, 31)


def test_agreeing_sources_fill_the_form_and_each_value_names_its_source(catalog) -> None:
    matter = catalog.get("food-business-licence")
    form = {f.name: f for f in prefill(matter, [
        Candidate("uscc", "91350100M000100Y43", "case"),
        Candidate("uscc", "9135 0100 M000100Y43", "ocr", doc_id="d1", doc_type="business_licence"),
        Candidate("company_name", "温州仁心大药房有限公司", "archive", doc_id="d0"),
        Candidate("legal_rep_id", "110105194912310021", "ocr", doc_id="d2"),
        Candidate("ignored_field", "x", "clerk"),
    ])}
    assert form["uscc"].value == "91350100M000100Y43" and form["uscc"].source == "ocr"
    assert form["uscc"].sources == ("ocr", "case") and not form["uscc"].conflict and form["uscc"].valid
    assert form["company_name"].source == "archive"
    # an ID number failing its check is flagged, not dropped
    assert form["legal_rep_id"].value == "110105194912310021"
    assert form["legal_rep_id"].valid is False and form["legal_rep_id"].check_reason == "check_mismatch"
    assert form["legal_rep_id"].needs_attention
    assert form["business_form"].value is None and form["business_form"].needs_attention  # required, empty


def test_disagreeing_sources_are_a_conflict_until_the_clerk_chooses(catalog) -> None:
    matter = catalog.get("food-business-licence")
    candidates = [Candidate("tenant", "温州仁心大药房有限公司", "ocr", doc_id="lease"),
                  Candidate("tenant", "张三", "clerk")]
    tenant = next(f for f in prefill(matter, candidates) if f.name == "tenant")
    assert tenant.conflict and not tenant.resolved and tenant.value is None and tenant.needs_attention
    assert {c.source for c in tenant.candidates} == {"ocr", "clerk"}
    tenant = next(f for f in prefill(matter, candidates, {"tenant": "温州仁心大药房有限公司"}) if f.name == "tenant")
    assert tenant.conflict and tenant.resolved and tenant.value == "温州仁心大药房有限公司"
    assert tenant.source == "ocr" and not tenant.needs_attention


def test_a_clerk_sees_a_lease_whose_tenant_differs_from_the_licence_holder(
    cases, the_archive, people, scan, tools
) -> None:
    case = cases.create(matter_id="food-business-licence", owner_code=people.company, actor=people.clerk,
                        contact_phone="13100001907")
    licence = tools.archive_scan(the_archive, scan("licence"), owner_code=people.company, doc_type="business_licence",
                                 actor=people.clerk, case_ref=case.id,
                                 ocr_fields={"名称": "温州仁心大药房有限公司", "统一社会信用代码": people.company,
                                             "法定代表人": "张三"})
    lease = tools.archive_scan(the_archive, scan("lease"), owner_code=people.company, doc_type="lease_contract",
                               actor=people.clerk, case_ref=case.id,
                               ocr_fields={"承租方": "温州仁心药业有限公司", "房屋坐落": "温州市鹿城区五马街1号"})
    cases.attach_document(case.id, "business-licence", licence, people.clerk)
    cases.attach_document(case.id, "lease", lease, people.clerk)
    forms = FormService(cases)
    form = {f.name: f for f in forms.set_values(case.id, {"tenant": "温州仁心大药房有限公司", "business_form": "食品销售经营者"},
                                                people.clerk)}
    assert form["company_name"].value == "温州仁心大药房有限公司" and form["company_name"].source == "ocr"
    assert form["company_name"].candidates[0].doc_id == licence
    assert form["uscc"].sources == ("ocr", "case") and form["uscc"].valid
    assert form["contact_phone"].value == "13100001907" and form["contact_phone"].source == "case"
    assert form["premises"].value == "温州市鹿城区五马街1号"
    assert form["tenant"].conflict and form["tenant"].value is None
    form = {f.name: f for f in forms.resolve(case.id, "tenant", "温州仁心大药房有限公司", people.clerk)}
    assert form["tenant"].resolved and form["tenant"].value == "温州仁心大药房有限公司"
    assert form["tenant"].source == "clerk"
    with pytest.raises(UnknownFieldError):
        forms.set_values(case.id, {"nope": "x"}, people.clerk)
    with pytest.raises(InvalidInputError):
        forms.resolve(case.id, "tenant", " ", people.clerk)
    cases.transition(case.id, "withdrawn", people.clerk, "done")
    with pytest.raises(IllegalTransitionError):
        forms.set_values(case.id, {"tenant": "x"}, people.clerk)


def test_a_value_only_ocr_read_with_low_confidence_asks_the_clerk_to_check(catalog) -> None:
    matter = catalog.get("food-business-licence")
    shaky = [Candidate("address", "温州市鹿城区五马街1号", "ocr", confidence=0.55)]
    address = next(f for f in prefill(matter, shaky) if f.name == "address")
    assert address.value and address.low_confidence and address.needs_attention
    confirmed = shaky + [Candidate("address", "温州市鹿城区五马街1号", "clerk")]
    address = next(f for f in prefill(matter, confirmed) if f.name == "address")
    assert address.confidence is None and not address.needs_attention
