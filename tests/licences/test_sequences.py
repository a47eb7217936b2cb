"""Licence numbers are never handed out twice, even when many approvers issue at the same moment."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import create_engine

import intake
from intake.licences import next_value
from intake.licences.sequences import next_values


@pytest.fixture
def engine(db_url: str):  # type: ignore[no-untyped-def]
    engine = create_engine(db_url, pool_size=10, max_overflow=10) if db_url.startswith("postgresql") \
        else create_engine(db_url, connect_args={"timeout": 30})
    intake.migrate(engine)
    yield engine
    engine.dispose()


def test_concurrent_allocation_gives_each_value_exactly_once(engine) -> None:  # type: ignore[no-untyped-def]
    def take(_: int) -> list[int]:
        return [next_value(engine, "11330302MB01234564", "number:JY{seq}") for _ in range(25)]

    with ThreadPoolExecutor(8) as pool:
        values = [v for chunk in pool.map(take, range(8)) for v in chunk]
    assert sorted(values) == list(range(1, 201))  # no repeats and no gaps
    assert next_value(engine, "11330302MB01234564", "number:other") == 1  # sequences are independent
    assert next_value(engine, "91350100M000100Y43", "number:JY{seq}") == 1  # ... and per issuer


def test_several_sequences_are_claimed_together(engine) -> None:  # type: ignore[no-untyped-def]
    def take(_: int) -> list[list[int]]:
        return [next_values(engine, "11330302MB01234564", ["number:a", "number:b", "number:a"]) for _ in range(10)]

    with ThreadPoolExecutor(6) as pool:
        claims = [claim for chunk in pool.map(take, range(6)) for claim in chunk]
    assert sorted(v for c in claims for v in c[::2]) == list(range(1, 121))  # "a" listed twice: two values
    assert sorted(c[1] for c in claims) == list(range(1, 61))
    assert all(c[0] < c[2] for c in claims)  # in the order asked
    assert next_values(engine, "11330302MB01234564", []) == []


def test_parallel_issuance_never_repeats_a_number(container) -> None:  # type: ignore[no-untyped-def]
    from archive import Actor

    service = container.licences
    actor = Actor("approver-1", "approver")
    example = service.example("food_business")

    def issue(i: int):  # type: ignore[no-untyped-def]
        return service.issue("food_business", dict(example), actor=actor, case_id=f"case-{i}")

    with ThreadPoolExecutor(6) as pool:
        issued = list(pool.map(issue, range(12)))
    numbers = [lic.number for lic in issued]
    assert len(set(numbers)) == 12 and len({lic.identifier for lic in issued}) == 12
    assert sorted(int(n[9:15]) for n in numbers) == list(range(1, 13))  # the 6-digit sequence part
    assert service.issued_document_ids("case-3") == [issued[3].document_id]
