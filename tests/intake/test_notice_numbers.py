"""Notice numbers: one sequence per department and year, never repeated, even under concurrency."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from intake.notices import NoticeService


def test_numbers_count_per_department_and_year_and_never_repeat(engine, the_archive, catalog) -> None:
    notices = NoticeService(engine, the_archive)
    amr, mca = catalog.get("food-business-licence"), catalog.get("social-group-registration")
    assert notices.next_number(amr, "correction", 2026) == ("温市监补字〔2026〕第0001号", 1)
    assert notices.next_number(amr, "deficiency", 2026) == ("温市监容字〔2026〕第0002号", 2)
    assert notices.next_number(mca, "correction", 2026) == ("温民补字〔2026〕第0001号", 1)
    assert notices.next_number(amr, "correction", 2027)[1] == 1

    drug = catalog.get("drug-retail-licence")  # same department as food: same sequence
    with ThreadPoolExecutor(max_workers=6) as pool:
        taken = list(pool.map(lambda _: notices.next_number(drug, "correction", 2026)[1], range(30)))
    assert sorted(taken) == list(range(3, 33))


def test_the_first_numbers_of_a_new_year_taken_at_once_are_distinct(engine, the_archive, catalog) -> None:
    notices = NoticeService(engine, the_archive)
    matter = catalog.get("foundation-registration")
    with ThreadPoolExecutor(max_workers=4) as pool:
        taken = list(pool.map(lambda _: notices.next_number(matter, "correction", 2030)[1], range(8)))
    assert sorted(taken) == list(range(1, 9))
