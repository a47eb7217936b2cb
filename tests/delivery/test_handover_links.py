"""The applicant downloads the signed e-licence with a link and the last 6 characters of their code."""

from __future__ import annotations

import pytest

from archive import Actor
from intake.delivery import DeliveryStateError, HandoverNotFoundError, HandoverRateLimitedError
from intake.errors import InvalidInputError
from ocr.identifiers import uscc_check_char

CLERK = Actor(name="王窗口", role="clerk", key_id="k-clerk")
OTHER = "91330302MA2WW9Y8X" + uscc_check_char("91330302MA2WW9Y8X")


def link_for(handover, issued_case, licence_pdf, **kw):
    case = issued_case()
    doc_id = licence_pdf(case.id)
    return case, doc_id, handover.create(case.id, actor=CLERK, document_ids=[doc_id], **kw)


def access_log(the_archive, owner_code):
    return the_archive.access.for_owner(owner_code)


def test_download_with_the_right_suffix_is_logged_and_delivers_the_case(
    handover, issued_case, licence_pdf, the_archive, cases
):
    case, doc_id, link = link_for(handover, issued_case, licence_pdf)
    assert len(link.token) >= 40 and (link.expires_at - handover.clock()).days == 30
    suffix = case.owner_code[-6:].lower()  # case does not matter

    access = handover.open(link.token, suffix, client="1.2.3.4")
    assert [d.id for d in access.documents] == [doc_id] and access.downloads_left == 5
    record, data = handover.download(link.token, suffix, client="1.2.3.4")
    assert record.id == doc_id and data == the_archive.read(doc_id, actor=CLERK)
    assert cases.get(case.id).state == "delivered"

    purposes = [e.purpose for e in access_log(the_archive, case.owner_code)]
    assert purposes.count("handover_view") == 1  # listing the link's documents is audited too
    entries = [e for e in access_log(the_archive, case.owner_code) if e.purpose == "handover_download"]
    assert len(entries) == 1
    assert entries[0].document_id == doc_id and entries[0].case_ref == case.id
    assert entries[0].actor_role == "applicant" and entries[0].result == "ok"


def test_download_limit_and_expiry(handover, issued_case, licence_pdf, clock):
    case, _, link = link_for(handover, issued_case, licence_pdf, max_downloads=2)
    suffix = case.owner_code[-6:]
    for _ in range(2):
        handover.download(link.token, suffix, client="a")
    with pytest.raises(HandoverNotFoundError):
        handover.download(link.token, suffix, client="a")

    case2, _, link2 = link_for(handover, issued_case, licence_pdf, ttl_days=30)
    clock.advance(days=29, hours=23)
    handover.open(link2.token, case2.owner_code[-6:], client="b")
    clock.advance(hours=2)
    with pytest.raises(HandoverNotFoundError):
        handover.open(link2.token, case2.owner_code[-6:], client="b")


def test_unknown_token_wrong_suffix_and_expired_look_the_same(handover, issued_case, licence_pdf, clock):
    case, _, link = link_for(handover, issued_case, licence_pdf, ttl_days=1)
    errors = []
    for token, suffix in [("x" * 43, case.owner_code[-6:]), (link.token, "000000"), (link.token, "")]:
        with pytest.raises(HandoverNotFoundError) as info:
            handover.open(token, suffix, client=f"c-{len(errors)}")
        errors.append((info.value.code, str(info.value), info.value.message_zh))
    clock.advance(days=2)
    with pytest.raises(HandoverNotFoundError) as info:
        handover.open(link.token, case.owner_code[-6:], client="c-exp")
    errors.append((info.value.code, str(info.value), info.value.message_zh))
    assert len(set(errors)) == 1


def test_repeated_failures_are_rate_limited_per_client(handover, issued_case, licence_pdf):
    case, _, link = link_for(handover, issued_case, licence_pdf)
    for _ in range(5):
        with pytest.raises(HandoverNotFoundError):
            handover.open(link.token, "WRONG1", client="9.9.9.9")
    with pytest.raises(HandoverRateLimitedError):
        handover.open(link.token, case.owner_code[-6:], client="9.9.9.9")
    # another client with the right suffix is not blocked
    handover.open(link.token, case.owner_code[-6:], client="8.8.8.8")


def test_a_link_is_locked_after_many_wrong_suffixes_from_anywhere(handover, issued_case, licence_pdf):
    case, _, link = link_for(handover, issued_case, licence_pdf)
    for n in range(8):
        with pytest.raises(HandoverNotFoundError):
            handover.open(link.token, f"BAD{n:03d}", client=f"10.0.0.{n}")
    with pytest.raises(HandoverNotFoundError):
        handover.open(link.token, case.owner_code[-6:], client="10.0.1.1")


def test_links_need_an_issued_case_and_the_applicants_own_documents(handover, issued_case, licence_pdf):
    pending = issued_case("approved")
    with pytest.raises(DeliveryStateError):
        handover.create(pending.id, actor=CLERK, document_ids=[licence_pdf(pending.id)])
    case = issued_case()
    with pytest.raises(InvalidInputError):
        handover.create(case.id, actor=CLERK, document_ids=[licence_pdf(case.id, OTHER)])
    with pytest.raises(InvalidInputError):
        handover.create(case.id, actor=CLERK, document_ids=["nosuchdocument"])
    with pytest.raises(InvalidInputError):
        handover.create(case.id, actor=CLERK)  # no licence service wired and no IDs given


def test_download_by_delivery_method(delivery, issued_case, licence_pdf):
    case = issued_case()
    order = delivery.set_delivery(case.id, "download", actor=CLERK, document_ids=[licence_pdf(case.id)])
    assert order.method == "download" and order.handover is not None
    assert order.parcels == ()


def test_a_new_choice_replaces_the_old_link(delivery, handover, issued_case, licence_pdf):
    case = issued_case()
    doc = licence_pdf(case.id)
    suffix = case.owner_code[-6:]
    first = delivery.set_delivery(case.id, "download", actor=CLERK, document_ids=[doc]).handover
    second = delivery.set_delivery(case.id, "download", actor=CLERK, document_ids=[doc]).handover
    with pytest.raises(HandoverNotFoundError):
        handover.open(first.token, suffix, client="x")
    handover.open(second.token, suffix, client="x")
    delivery.set_delivery(case.id, "pickup", actor=CLERK)
    with pytest.raises(HandoverNotFoundError):
        handover.open(second.token, suffix, client="x")


def test_a_refused_choice_leaves_no_live_link(delivery, handover, issued_case, licence_pdf):
    from intake.delivery import Recipient

    case = issued_case()
    order = delivery.set_delivery(case.id, "courier", actor=CLERK,
                                  recipient=Recipient("王小明", "13155551907", "浙江省温州市鹿城区解放街1号"))
    delivery.scan(order.parcels[0].waybill, "picked_up", actor=Actor(name="张快递", role="courier"))
    with pytest.raises(DeliveryStateError):
        delivery.set_delivery(case.id, "download", actor=CLERK, document_ids=[licence_pdf(case.id)])
    assert delivery.get(case.id).method == "courier"
    from sqlalchemy import select

    from intake.delivery.models import HandoverLinkRow

    with handover.sessions() as session:
        links = session.scalars(select(HandoverLinkRow).where(HandoverLinkRow.case_id == case.id)).all()
        assert links and all(link.revoked_at is not None for link in links)
