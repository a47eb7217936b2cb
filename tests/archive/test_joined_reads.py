"""The catalog reads a case makes on every view, each in one statement: the newest documents of each
type with their derived data and failed re-checks (reuse), documents by id with their derived data
(a case's checks). Same answers on SQLite and PostgreSQL as the separate reads they replace."""

from __future__ import annotations

import datetime as dt

import pytest

import archive

OWNER = "91350100M000100Y43"
OTHER = "91330302MA2AB1C2D0"
CLERK = archive.Actor("clerk", "clerk")


@pytest.fixture
def store(db_url, tmp_path):  # type: ignore[no-untyped-def]
    engine = archive.make_engine(db_url)
    archive.migrate(engine)
    yield archive.Archive(archive.LocalStore(tmp_path / "objects"), engine)
    engine.dispose()


def _doc(store: archive.Archive, label: str, doc_type: str, owner: str = OWNER) -> str:
    return store.ingest(f"%PDF-1.4\n% {label}\n%%EOF\n".encode(), owner_code=owner, owner_code_type="uscc",
                        doc_type=doc_type, actor=CLERK).record.id


def _failed_recheck(store: archive.Archive, doc_id: str, ok: bool) -> None:
    store.put_derived(doc_id, archive.CHECKS_KIND, {"ok": True, "recheck": {"ok": ok, "at": "2026-11-23"}})


def test_the_newest_of_each_type_come_with_their_ocr_and_failed_rechecks(store) -> None:  # type: ignore[no-untyped-def]
    cards = [_doc(store, f"card {n}", "id_card") for n in range(4)]
    leases = [_doc(store, f"lease {n}", "lease_contract") for n in range(3)]
    _doc(store, "card of another owner", "id_card", OTHER)
    for doc_id in cards + leases:
        store.put_derived(doc_id, "ocr", {"doc_type": "ocr of " + doc_id})
    _failed_recheck(store, cards[-1], ok=False)
    _failed_recheck(store, leases[-1], ok=True)  # re-checked and fine
    store.put_derived(cards[-2], archive.CHECKS_KIND, {"ok": True})  # an intake report, never re-checked

    records, ocr, failed = store.newest_with_derived(
        OWNER.lower() + " ", ["id_card", "lease_contract", "floor_plan"], {"id_card": 3, "lease_contract": 5,
                                                                           "floor_plan": 2}, "ocr", ["id_card"])
    expected = {"id_card": store.list(OWNER, doc_type="id_card", limit=3),
                "lease_contract": store.list(OWNER, doc_type="lease_contract", limit=5), "floor_plan": []}
    assert records == expected  # each type's own window, newest first (ties by id), this owner's only
    assert {r.id for r in records["id_card"]} == set(cards[1:]) and len(records["lease_contract"]) == 3
    assert ocr == store.get_derived_many(cards[1:], "ocr")  # OCR only of the types asked for
    assert failed == {cards[-1]} == store.failed_rechecks(cards + leases)
    assert store.newest_with_derived(OWNER, ["id_card"], 2, "ocr", [])[1:] == ({}, {cards[-1]})
    assert store.newest_with_derived(OWNER, [], 2, "ocr", ["id_card"]) == ({}, {}, set())


def test_a_cases_documents_come_with_their_ocr_in_one_read(store) -> None:  # type: ignore[no-untyped-def]
    with_ocr, without = _doc(store, "licence", "business_licence"), _doc(store, "lease", "lease_contract")
    store.put_derived(with_ocr, "ocr", {"doc_type": "business_licence", "fields": {}})
    store.put_derived(without, archive.CHECKS_KIND, {"ok": True})

    records, ocr = store.records_with_derived([with_ocr, without, with_ocr, "unknown", "no such/id"], "ocr")
    assert records == store.lookup_many([with_ocr, without])
    assert records[with_ocr].created_at.utcoffset() == dt.timedelta(0)
    assert ocr == {with_ocr: {"doc_type": "business_licence", "fields": {}}}
    assert store.records_with_derived([], "ocr") == ({}, {})
