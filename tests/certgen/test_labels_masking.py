"""What a courier may see of a recipient: family name, 3+4 phone digits, address to the district."""

from __future__ import annotations

import pytest

from certgen.labels import address_district, mask_address, mask_name, mask_phone


@pytest.mark.parametrize(
    "name, masked",
    [("王小明", "王**"), ("王五", "王*"), ("欧阳娜娜", "欧***"), ("王", "王"), (" 王 小明 ", "王**"),
     ("温州市鹿城区好味道餐饮管理有限公司", "温州****公司")],
)
def test_names(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    "phone, masked",
    [
        ("13155551907", "131****1907"),
        ("+86 131-5555-1907", "131****1907"),
        ("8613155551907", "131****1907"),
        ("0577-88960000", "0577-****0000"),
        ("010-12345678", "010-****5678"),
        ("12345", "*****"),
    ],
)
def test_phones(phone, masked):
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(
    "address, masked",
    [
        ("浙江省温州市鹿城区五马街道解放街123号3幢501室", "浙江省温州市鹿城区****"),
        ("浙江省温州市瑞安市安阳街道万松路1号", "浙江省温州市瑞安市****"),
        ("北京市朝阳区建国路88号", "北京市朝阳区****"),
        ("上海市浦东新区世纪大道100号", "上海市浦东新区****"),
        ("广西壮族自治区南宁市青秀区民族大道1号", "广西壮族自治区南宁市青秀区****"),
        ("浙江省丽水市景宁畲族自治县红星街道1号", "浙江省丽水市景宁畲族自治县****"),
        ("浙江省温州市五马街道解放街123号", "浙江省温州市****"),
        ("解放街123号", "解放街****"),
    ],
)
def test_addresses_are_cut_at_the_district(address, masked):
    assert mask_address(address) == masked


def test_district_of_an_address():
    assert address_district("浙江省温州市鹿城区五马街道") == "浙江省温州市鹿城区"
    assert address_district("解放街123号") == ""
