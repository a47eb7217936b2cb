"""The matter catalog: the shipped YAML loads, composites ask once, and mistakes name file and key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from intake.errors import CatalogError, UnknownMatterError
from intake.matters import Catalog, load_catalog

SHIPPED = Path(__file__).resolve().parents[2] / "templates" / "matters"


def test_the_shipped_catalog_has_every_required_matter(catalog: Catalog) -> None:
    assert {m.id for m in catalog} >= {
        "food-business-licence", "drug-retail-licence", "medical-device-class2-filing",
        "social-group-registration", "private-non-enterprise-registration", "foundation-registration",
        "food-drug-business-licence",
    }
    for matter in catalog:
        assert matter.materials and matter.legal_basis and matter.department.short
        assert all(m.standard for m in matter.materials)
        assert matter.time_limits.committed_days <= matter.time_limits.statutory_days


def test_the_food_drug_one_thing_asks_once_for_what_its_matters_share(catalog: Catalog) -> None:
    merged = catalog.get("food-drug-business-licence")
    parts = catalog.components(merged.id)
    assert [p.id for p in parts] == ["food-business-licence", "drug-retail-licence", "medical-device-class2-filing"]
    ids = [m.id for m in merged.materials]
    assert len(ids) == len(set(ids))
    assert set(ids) == {m.id for p in parts for m in p.materials}
    licence = merged.material("business-licence")
    assert licence is not None and set(licence.used_by) == {p.id for p in parts}
    # the floor plan is secondary for food but main for drugs: in the merged matter it is main
    assert merged.material("floor-plan").kind == "main"
    before, now = catalog.material_counts(merged.id)
    assert before == sum(len(p.materials) for p in parts) == 28 and now == 16
    assert merged.material_reduction == pytest.approx(1 - 16 / 28)
    assert {f.name for f in merged.fields} >= {"company_name", "uscc", "drug_scope", "food_scope", "device_scope"}


def test_unknown_matter_is_a_not_found_error(catalog: Catalog) -> None:
    with pytest.raises(UnknownMatterError) as err:
        catalog.get("no-such-matter")
    assert err.value.extra["matter"] == "no-such-matter"


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "matters"
    shutil.copytree(SHIPPED, folder)
    return folder


def test_a_typo_in_a_key_names_the_file_the_key_and_the_line(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = folder / "drug-retail-licence.yaml"
    text = path.read_text(encoding="utf-8")
    typo = text.replace("    kind: secondary\n    doc_types: [facility_list]", "    kidn: secondary\n    doc_types: [facility_list]")
    assert typo != text
    path.write_text(typo, encoding="utf-8")
    line = typo.splitlines().index("    kidn: secondary") + 1
    with pytest.raises(CatalogError) as err:
        load_catalog(folder)
    message = str(err.value)
    assert message.startswith(f"drug-retail-licence.yaml:{line}: materials[7]")
    assert "kidn" in message and "unknown key" in message
    assert err.value.extra["key"] == "materials[7].kidn" and err.value.extra["line"] == line
    assert "drug-retail-licence.yaml" in err.value.message_zh


@pytest.mark.parametrize("edit, expected", [
    (("kind: main", "kind: primary", 1), "materials[0].kind"),
    (("committed_days: 10", "committed_days: 30", 1), "time_limits"),
    (("reuse: {allowed: true, max_age_days: 365}", "reuse: {allowed: true}", 1), "materials[6].reuse"),
    (("name: 药品零售企业经营许可\n", "", 1), "name: Field required"),
])
def test_bad_values_are_load_errors(tmp_path: Path, edit: tuple[str, str, int], expected: str) -> None:
    folder = _copy(tmp_path)
    path = folder / "drug-retail-licence.yaml"
    old, new, count = edit
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, count), encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load_catalog(folder)
    assert "drug-retail-licence.yaml" in str(err.value) and expected in str(err.value)


def test_a_composite_of_an_unknown_matter_or_with_its_own_materials_is_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = folder / "food-drug-business-licence.yaml"
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("medical-device-class2-filing]", "medical-device-filing]"), encoding="utf-8")
    with pytest.raises(CatalogError, match=r"composite\[2\]: unknown component matter 'medical-device-filing'"):
        load_catalog(folder)
    path.write_text(original + "materials: []\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="materials: a composite matter takes"):
        load_catalog(folder)


def test_duplicate_ids_and_broken_yaml_name_the_file(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    shutil.copy(folder / "food-business-licence.yaml", folder / "zz-copy.yaml")
    with pytest.raises(CatalogError, match="zz-copy.yaml.*duplicate matter id 'food-business-licence'"):
        load_catalog(folder)
    (folder / "zz-copy.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="zz-copy.yaml.*not valid YAML"):
        load_catalog(folder)
