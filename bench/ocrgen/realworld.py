"""Pages in real-world layouts our templates were not written for (the second evaluation set).

Layouts copied from documents as they circulate, not from our generator's forms: a lease whose
parties, premises, term and rent are in running prose; the 2019 SAMR business licence (two
columns, QR code top left, seal printed over 登记机关 and the annual-report sentence below it);
the pre-2015 licence with its 15-digit 注册号; an ID-card copy whose 出生 is printed as separate
boxes with a red "for this purpose only" line and a grey watermark; white text on a transparent
PNG. Each is rendered as a 150 dpi scan and as a small phone-style JPEG.

    python -m bench.ocrgen.realworld DIR [--per-layout 2] [--seed 31]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import random
from collections.abc import Callable
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw

from bench.ocrgen.data import Faker, chinese_date, upper_amount_wan
from bench.ocrgen.docs import Rendered
from bench.ocrgen.sheet import FONTS, TITLE_FONT, Sheet
from ocr.normalise import compact

GREY = (200, 200, 200)
RED = (200, 30, 35)


def _watermark(s: Sheet, text: str) -> None:
    """Diagonal grey text over the page, as web sites stamp their copies (not recorded)."""
    layer = Image.new("L", s.image.size, 0)
    d = ImageDraw.Draw(layer)
    for k in range(3):
        d.text((s.px(30), s.px(70 + 80 * k)), text, font=s.ft(26), fill=255)
    layer = layer.rotate(25, resample=Image.BICUBIC)
    grey = Image.new("RGB", s.image.size, GREY)
    s.image.paste(grey, mask=layer.point(lambda v: v * 0.55))
    s.draw = ImageDraw.Draw(s.image)


def prose_lease(f: Faker, s: Sheet) -> Rendered:
    landlord, _ = f.person()
    landlord_id = f.id_number("330106", f.date(1960, 1990), True)
    tenant = f.party()
    province, city, district, street, _ = f.place()
    premises = f"{province}{city}{district}{street}"
    start = f.date(2024, 2025)
    end = start.replace(year=start.year + 3) - dt.timedelta(days=1)
    rent = f.rng.choice((3500, 4800, 6200, 12000))
    s.centre(26, "房屋租赁合同", 22, font=TITLE_FONT)
    paras = [
        f"出租方（甲方）：{landlord}",
        f"身份证号码：{landlord_id}",
        f"承租方（乙方）：{tenant.company}",
        "根据《中华人民共和国民法典》及有关规定，甲乙双方在平等、自愿的基础上，就房屋租赁事宜达成如下协议：",
        f"第一条　甲方将位于{premises}的房屋出租给乙方作为经营场所使用，建筑面积{f.rng.randrange(40, 300)}平方米。",
        f"第二条　租赁期限自{start:%Y年%m月%d日}起至{end:%Y年%m月%d日}止。",
        f"第三条　月租金为人民币{rent}元，按季支付，乙方应于每季度首月五日前支付。",
        "第四条　租赁期间，乙方不得擅自改变房屋结构和用途。",
    ]
    s.paragraphs(44, paras, gap=3, pt=11, leading=7.5)
    _watermark(s, "仅用于办理营业执照")
    fields = {"出租方": landlord, "承租方": tenant.company, "房屋坐落": premises,
              "租赁期限": f"{start.isoformat()}/{end.isoformat()}", "租金": float(rent)}
    return Rendered(s.image, "lease_contract", fields, s.lines)


def _qr(s: Sheet, x: float, y: float, size: float, data: str) -> None:
    img = qrcode.make(data).get_image().convert("RGB").resize((s.px(size), s.px(size)), Image.NEAREST)
    s.image.paste(img, (s.px(x), s.px(y)))


def samr_2019(f: Faker, s: Sheet) -> Rendered:
    """The 2019 licence: code and QR on top, two columns of fields, seal over 登记机关."""
    p = f.party()
    issuer = f"{p.city}{p.district}市场监督管理局"
    long_term = f.rng.random() < 0.5
    end = p.founded.replace(year=p.founded.year + 30) - dt.timedelta(days=1)
    period = f"{p.founded:%Y年%m月%d日}至" + ("长期" if long_term else f"{end:%Y年%m月%d日}")
    _qr(s, 22, 22, 26, "http://www.gsxt.gov.cn/" + p.uscc)
    s.centre(30, "营 业 执 照", 28, font=TITLE_FONT)
    s.centre(46, "（副本）", 11)
    s.text(150, 26, f"统一社会信用代码", 9)
    s.text(150, 31, p.uscc, 10)
    s.text(28, 62, "名　　称", 10.5)
    s.text(52, 62, p.company, 10.5)
    s.text(28, 72, "类　　型", 10.5)
    s.text(52, 72, p.company_type, 10.5)
    s.text(28, 82, "法定代表人", 10.5)
    s.text(52, 82, p.legal_rep_raw, 10.5)
    s.text(28, 92, "经营范围", 10.5)
    for i, part in enumerate(s.wrap(p.scope, 10.5, 62)[:5]):
        s.text(52, 92 + 6 * i, part, 10.5)
    s.text(120, 62, "注册资本", 10.5)
    s.text(140, 62, upper_amount_wan(p.capital_wan), 10.5)
    s.text(120, 72, "成立日期", 10.5)
    s.text(140, 72, f"{p.founded:%Y年%m月%d日}", 10.5)
    s.text(120, 82, "营业期限", 10.5)
    s.text(140, 82, period, 10.5)
    s.text(120, 92, "住　　所", 10.5)
    address = s.wrap(p.address, 10.5, 48)
    for i, part in enumerate(address[:3]):
        s.text(140, 92 + 6 * i, part, 10.5)
    s.text(120, 150, "登记机关", 10.5)
    s.text(140, 150, issuer, 10.5)
    s.text(150, 160, chinese_date(f.date(2023, 2025)), 10.5)
    s.seal(160, 152, issuer[:-2] if len(issuer) > 12 else issuer, radius=18)
    s.text(28, 178, "国家企业信用信息公示系统网址：http://www.gsxt.gov.cn", 8)
    s.text(28, 184, "市场主体应当于每年1月1日至6月30日通过国家企业信用信息公示系统报送公示年度报告。", 8)
    fields = {"名称": p.company, "统一社会信用代码": p.uscc, "类型": compact(p.company_type),
              "法定代表人": p.legal_rep, "注册资本": float(p.capital_wan * 10000), "成立日期": p.founded.isoformat(),
              "营业期限": f"{p.founded.isoformat()}/" + (".." if long_term else end.isoformat()),
              "住所": compact(p.address), "登记机关": issuer}
    return Rendered(s.image, "business_licence", fields, s.lines)


def registration_number(rng: random.Random, region: str) -> str:
    """A 15-digit 注册号 with its ISO 7064 MOD 11,10 check digit."""
    body = region + "".join(rng.choice("0123456789") for _ in range(14 - len(region)))
    p = 10
    for ch in body:
        v = (p + int(ch)) % 10 or 10
        p = (v * 2) % 11
    return body + str((11 - p) % 10)


def old_licence(f: Faker, s: Sheet) -> Rendered:
    """The pre-2015 licence: 注册号 instead of a credit code, fields one under another."""
    p = f.party()
    number = registration_number(f.rng, "330100")
    issuer = f"{p.city}工商行政管理局"
    s.centre(28, "企业法人营业执照", 24, font=TITLE_FONT)
    s.text(120, 44, f"注册号：{number}", 11)
    rows = [("名称", p.company), ("住所", p.address), ("法定代表人姓名", p.legal_rep_raw),
            ("注册资本", upper_amount_wan(p.capital_wan)), ("公司类型", p.company_type),
            ("成立日期", f"{p.founded:%Y年%m月%d日}")]
    y = 58
    for label, value in rows:
        s.text(30, y, f"{label}：{value}", 11)
        y += 11
    s.text(110, 150, f"登记机关：{issuer}", 11)
    s.seal(150, 152, issuer[:-2], radius=17)
    fields = {"注册号": number, "名称": p.company, "住所": compact(p.address), "注册资本": float(p.capital_wan * 10000),
              "成立日期": p.founded.isoformat(), "登记机关": issuer}
    return Rendered(s.image, "business_licence", fields, s.lines)


def id_copy_split_date(f: Faker, s: Sheet) -> Rendered:
    """An ID-card copy: 出生 printed as boxes ``1987 年 12 月 13 日``, red purpose line, watermark."""
    name, _ = f.person()
    male = f.rng.random() < 0.5
    born = f.date(1955, 2003)
    province, city, district, street, region = f.place()
    number = f.id_number(region, born, male)
    address = f"{province}{city}{district}{street}"
    x0, y0 = 40, 40
    s.rect(x0, y0, x0 + 86, y0 + 54, width=0.4)
    s.text(x0 + 4, y0 + 5, "姓名", 8)
    s.text(x0 + 16, y0 + 5, name, 9)
    s.text(x0 + 4, y0 + 13, "性别", 8)
    s.text(x0 + 16, y0 + 13, "男" if male else "女", 9)
    s.text(x0 + 30, y0 + 13, "民族", 8)
    s.text(x0 + 42, y0 + 13, "汉", 9)
    s.text(x0 + 4, y0 + 21, "出生", 8)
    x = x0 + 16
    for part in (str(born.year), "年", str(born.month), "月", str(born.day), "日"):
        s.text(x, y0 + 21, part, 9)
        x += s.width_mm(part, 9) + 3.5
    s.text(x0 + 4, y0 + 29, "住址", 8)
    for i, part in enumerate(s.wrap(address, 9, 50)[:3]):
        s.text(x0 + 16, y0 + 29 + 5 * i, part, 9)
    s.text(x0 + 4, y0 + 47, "公民身份号码", 8)
    s.text(x0 + 28, y0 + 47, number, 10)
    s.text(x0 + 2, y0 + 62, "本复印件仅供办理营业执照使用，再复印无效", 11, fill=RED)
    _watermark(s, "仅供办理营业执照使用")
    fields = {"姓名": name, "性别": "男" if male else "女", "民族": "汉", "出生": born.isoformat(),
              "住址": compact(address), "公民身份号码": number}
    return Rendered(s.image, "id_card", fields, s.lines)


LAYOUTS: dict[str, Callable[[Faker, Sheet], Rendered]] = {
    "prose_lease": prose_lease, "samr_2019": samr_2019, "old_licence": old_licence,
    "id_copy_split_date": id_copy_split_date,
}


def white_on_transparent(text: str, font: tuple[str, str, int]) -> tuple[bytes, list[str]]:
    """A PNG logo/sign: white text on a fully transparent background."""
    s = Sheet(150, font, size_mm=(120.0, 30.0))
    img = Image.new("RGBA", s.image.size, (0, 0, 0, 0))
    ImageDraw.Draw(img).text((s.px(8), s.px(8)), text, font=s.ft(28), fill=(255, 255, 255, 255))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue(), [text]


def as_photo(image: Image.Image, rng: random.Random) -> bytes:
    """A small phone-style copy: 1000 px long side, a slight turn, JPEG quality 60."""
    scale = 1000 / max(image.size)
    small = image.resize((int(image.width * scale), int(image.height * scale)), Image.LANCZOS)
    small = small.rotate(rng.uniform(-2.0, 2.0), resample=Image.BICUBIC, expand=True, fillcolor=(235, 235, 230))
    buf = io.BytesIO()
    small.save(buf, "JPEG", quality=60)
    return buf.getvalue()


def generate(outdir: Path, per_layout: int = 2, seed: int = 31) -> int:
    """Render each layout ``per_layout`` times as a 150 dpi scan and as a small photo."""
    outdir.mkdir(parents=True, exist_ok=True)
    count = 0
    with (outdir / "truth.jsonl").open("w", encoding="utf-8") as truth:
        for n, (layout, render) in enumerate(LAYOUTS.items()):
            for i in range(per_layout):
                doc_seed = seed * 1000 + n * 100 + i
                rendered = render(Faker(doc_seed), Sheet(150, FONTS[(n + i) % len(FONTS)]))
                for condition in ("scan150", "photo_small"):
                    if condition == "scan150":
                        buf = io.BytesIO()
                        rendered.image.save(buf, "PNG")
                        data, suffix = buf.getvalue(), "png"
                    else:
                        data, suffix = as_photo(rendered.image, random.Random(doc_seed)), "jpg"
                    name = f"{layout}_{condition}_{i:02d}.{suffix}"
                    (outdir / name).write_bytes(data)
                    truth.write(json.dumps({"file": name, "condition": f"{layout}/{condition}",
                                            "doc_type": rendered.doc_type, "fields": rendered.fields,
                                            "lines": rendered.lines}, ensure_ascii=False) + "\n")
                    count += 1
        data, lines = white_on_transparent("浙江省政务服务网", FONTS[0])
        (outdir / "white_on_transparent.png").write_bytes(data)
        truth.write(json.dumps({"file": "white_on_transparent.png", "condition": "transparent/png",
                                "doc_type": "other", "fields": {}, "lines": lines}, ensure_ascii=False) + "\n")
        count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--per-layout", type=int, default=2)
    parser.add_argument("--seed", type=int, default=31)
    args = parser.parse_args()
    print(f"{generate(args.outdir, args.per_layout, args.seed)} images in {args.outdir}")


if __name__ == "__main__":
    main()
