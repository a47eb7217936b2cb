"""One renderer per document type. Each returns the page image and its ground truth."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image

from bench.ocrgen.data import Faker, chinese_date, upper_amount_wan
from bench.ocrgen.sheet import TITLE_FONT, Sheet
from ocr.normalise import compact, fold, normalise_scope


@dataclass
class Rendered:
    image: Image.Image
    doc_type: str
    fields: dict[str, object]
    lines: list[str]


def _spaced(label: str) -> str:
    return "\u3000\u3000".join(label) if len(label) == 2 else label


def _rows(s: Sheet, rows: list[tuple[str, str]], y: float, *, x: float = 28, vx: float = 68,
          pt: float = 12, step: float = 11, width: float = 118, wrap_keys: tuple[str, ...] = ()) -> float:
    for label, value in rows:
        s.text(x, y, _spaced(label), pt)
        parts = s.wrap(value, pt, width) if label in wrap_keys else [value]
        for i, part in enumerate(parts):
            s.text(vx, y + i * pt * 0.5, part, pt)
        y += step + (len(parts) - 1) * pt * 0.5
    return y


def _code(text: str) -> str:
    return fold(text).replace(" ", "").upper()


def business_licence(f: Faker, s: Sheet) -> Rendered:
    p = f.party()
    long_term = f.rng.random() < 0.5
    end = p.founded.replace(year=p.founded.year + 20) - dt.timedelta(days=1)
    period = f"{p.founded:%Y年%m月%d日}至" + ("长期" if long_term else f"{end:%Y年%m月%d日}")
    issuer = f"{p.city}{p.district}市场监督管理局"
    issued = f.date(2023, 2025)
    s.centre(28, "营业执照", 30, font=TITLE_FONT)
    s.centre(44, "（副　本）", 12)
    s.text(28, 56, f"统一社会信用代码　{p.uscc}", 12)
    rows = [("名称", p.company), ("类型", p.company_type), ("法定代表人", p.legal_rep_raw),
            ("注册资本", upper_amount_wan(p.capital_wan)), ("成立日期", f"{p.founded:%Y年%m月%d日}"),
            ("营业期限", period), ("住所", p.address), ("经营范围", p.scope)]
    _rows(s, rows, 72, wrap_keys=("住所", "经营范围"))
    s.text(108, 232, f"登记机关　{issuer}", 12)
    s.text(128, 244, chinese_date(issued), 12)
    s.seal(150, 238, issuer[:-2] if len(issuer) > 12 else issuer)
    s.text(28, 270, "国家企业信用信息公示系统网址：http://www.gsxt.gov.cn", 9)
    fields = {"名称": p.company, "统一社会信用代码": p.uscc, "类型": compact(p.company_type),
              "法定代表人": p.legal_rep, "注册资本": float(p.capital_wan * 10000),
              "成立日期": p.founded.isoformat(),
              "营业期限": f"{p.founded.isoformat()}/" + (".." if long_term else end.isoformat()),
              "住所": compact(p.address), "经营范围": normalise_scope(p.scope), "登记机关": issuer}
    return Rendered(s.image, "business_licence", fields, s.lines)


def id_card(f: Faker, s: Sheet) -> Rendered:
    province, city, district, street, region = f.place()
    raw_name, name = f.person(traditional_ok=True)
    male = f.rng.random() < 0.5
    born = f.date(1955, 2003)
    number = f.id_number(region, born, male)
    nation = f.rng.choice(["汉", "汉", "汉", "回", "满", "畲"])
    address = f"{province}{city}{district}{street}"
    start = f.date(2012, 2022)
    end = start.replace(year=start.year + 20)
    issuer = f"{city}公安局{district}分局"
    x0, y0 = 62, 30
    s.rect(x0, y0, x0 + 85.6, y0 + 54, width=0.4)
    s.rect(x0 + 58, y0 + 8, x0 + 82, y0 + 38, width=0.2, fill=(225, 225, 225))
    s.text(x0 + 5, y0 + 6, f"姓名　{raw_name}", 10.5)
    s.text(x0 + 5, y0 + 13, f"性别　{'男' if male else '女'}　　民族　{nation}", 10.5)
    s.text(x0 + 5, y0 + 20, f"出生　{born.year}年{born.month}月{born.day}日", 10.5)
    lines = s.wrap(address, 10.5, 46)
    s.text(x0 + 5, y0 + 27, f"住址　{lines[0]}", 10.5)
    for i, part in enumerate(lines[1:3]):
        s.text(x0 + 5 + s.width_mm("住址　", 10.5), y0 + 32.5 + i * 5.5, part, 10.5)
    s.text(x0 + 5, y0 + 46, f"公民身份号码　{number}", 11)
    y1 = 120
    s.rect(x0, y1, x0 + 85.6, y1 + 54, width=0.4)
    s.text(x0 + 30, y1 + 8, "中华人民共和国", 14, font=TITLE_FONT)
    s.text(x0 + 24, y1 + 17, "居民身份证", 22, font=TITLE_FONT)
    s.text(x0 + 8, y1 + 36, f"签发机关　{issuer}", 10.5)
    s.text(x0 + 8, y1 + 44, f"有效期限　{start:%Y.%m.%d}-{end:%Y.%m.%d}", 10.5)
    s.text(60, 200, "本复印件仅供办理业务使用", 12)
    fields = {"姓名": name, "性别": "男" if male else "女", "民族": nation, "出生": born.isoformat(),
              "住址": compact(address), "公民身份号码": number, "签发机关": issuer,
              "有效期限": f"{start.isoformat()}/{end.isoformat()}"}
    return Rendered(s.image, "id_card", fields, s.lines)


def lease_contract(f: Faker, s: Sheet) -> Rendered:
    landlord_raw, landlord = f.person(traditional_ok=True)
    tenant = f.party()
    province, city, district, street, _ = f.place()
    place = f"{province}{city}{district}{street}"
    start = f.date(2022, 2025).replace(day=1)
    end = start.replace(year=start.year + f.rng.choice((1, 2, 3))) - dt.timedelta(days=1)
    rent = f.rng.choice((1800, 2500, 3500, 4200, 6000, 8800, 12000))
    s.centre(25, "房屋租赁合同", 24, font=TITLE_FONT)
    body = [
        f"出租方（甲方）：{landlord_raw}",
        f"承租方（乙方）：{tenant.company}",
        "根据《中华人民共和国民法典》及有关规定，甲乙双方在平等、自愿的基础上，就房屋租赁事宜达成如下协议：",
        f"第一条　房屋坐落：{place}",
        f"第二条　租赁期限：自{start.year}年{start.month}月{start.day}日起至{end.year}年{end.month}月{end.day}日止。",
        f"第三条　租金：每月人民币{rent}元，按季度支付，乙方应于每季度首月五日前付清。",
        "第四条　甲方保证该房屋产权清楚，乙方按约定用途使用房屋，不得擅自改变房屋结构。",
        "第五条　租赁期间，水、电、燃气及物业管理等费用由乙方承担。",
        "第六条　本合同一式两份，甲乙双方各执一份，自双方签字（盖章）之日起生效。",
    ]
    s.paragraphs(45.0, body, gap=3)
    s.text(28, 200, "甲方（签章）：", 12)
    s.text(112, 200, "乙方（签章）：", 12)
    s.seal(140, 205, tenant.company[:12])
    s.text(112, 220, f"{start.year}年{start.month}月{start.day}日", 12)
    fields = {"出租方": landlord, "承租方": tenant.company, "房屋坐落": compact(place),
              "租赁期限": f"{start.isoformat()}/{end.isoformat()}", "租金": float(rent)}
    return Rendered(s.image, "lease_contract", fields, s.lines)


def food_business_licence(f: Faker, s: Sheet) -> Rendered:
    p = f.party()
    number = "JY" + str(f.rng.choice((1, 2, 3))) + p.uscc[2:6] + f"{f.rng.randrange(10, 99)}" + f"{f.rng.randrange(10**6):06d}" + str(f.rng.randrange(10))
    issued = f.date(2021, 2025)
    valid = issued.replace(year=issued.year + 5) - dt.timedelta(days=1)
    issuer = f"{p.city}{p.district}市场监督管理局"
    kind = f.rng.choice(["食品销售经营者（网络经营）", "餐饮服务经营者（小型餐馆）", "单位食堂（学校食堂）"])
    items = "预包装食品（含冷藏冷冻食品）销售；散装食品（不含熟食）销售；热食类食品制售"
    s.centre(26, "食品经营许可证", 28, font=TITLE_FONT)
    rows = [("经营者名称", p.company), ("社会信用代码（身份证号码）", p.uscc),
            ("法定代表人（负责人）", p.legal_rep_raw), ("住所", p.address), ("经营场所", p.address),
            ("主体业态", kind), ("经营项目", items), ("许可证编号", number),
            ("有效期至", f"{valid.year}年{valid.month:02d}月{valid.day:02d}日"),
            ("日常监督管理机构", f"{p.district}市场监督管理所"), ("投诉举报电话", "12315")]
    _rows(s, rows, 50, x=22, vx=82, pt=11, step=11.5, width=108, wrap_keys=("住所", "经营场所", "经营项目"))
    s.text(110, 235, f"发证机关　{issuer}", 11)
    s.text(110, 246, f"发证日期　{issued.year}年{issued.month:02d}月{issued.day:02d}日", 11)
    s.seal(152, 240, issuer[:12])
    fields = {"经营者名称": p.company, "统一社会信用代码": p.uscc, "法定代表人（负责人）": p.legal_rep,
              "住所": compact(p.address), "经营场所": compact(p.address), "主体业态": compact(kind),
              "经营项目": normalise_scope(items), "许可证编号": number, "有效期至": valid.isoformat(),
              "发证机关": issuer, "发证日期": issued.isoformat()}
    return Rendered(s.image, "food_business_licence", fields, s.lines)


PROVINCE_ABBR = {"浙江省": "浙", "福建省": "闽", "广东省": "粤", "江苏省": "苏", "湖南省": "湘"}


def drug_business_licence(f: Faker, s: Sheet) -> Rendered:
    p = f.party()
    rep_raw, rep = p.legal_rep_raw, p.legal_rep
    head_raw, head = f.person()
    qa_raw, qa = f.person()
    mode = f.rng.choice([("零售", "D"), ("零售（连锁）", "C"), ("批发", "A")])
    number = f"{PROVINCE_ABBR[p.province]}{mode[1]}A{p.uscc[4:8]}{f.rng.randrange(10**5):05d}"
    warehouse = f"{p.province}{p.city}{p.district}{f.rng.choice(['工业路', '物流园路', '仓储大道'])}{f.rng.randrange(1, 99)}号"
    scope = "中药饮片、中成药、化学药制剂、抗生素制剂、生化药品、生物制品（除疫苗）"
    issued = f.date(2021, 2025)
    valid = issued.replace(year=issued.year + 5) - dt.timedelta(days=1)
    issuer = f"{p.province[:-1]}省药品监督管理局" if f.rng.random() < 0.5 else f"{p.city}市场监督管理局"
    s.centre(26, "药品经营许可证", 28, font=TITLE_FONT)
    rows = [("企业名称", p.company), ("统一社会信用代码", p.uscc), ("法定代表人", rep_raw),
            ("企业负责人", head_raw), ("质量负责人", qa_raw), ("经营方式", mode[0]), ("经营范围", scope),
            ("注册地址", p.address), ("仓库地址", warehouse), ("证号", number)]
    _rows(s, rows, 50, x=24, vx=70, pt=11.5, step=12, width=120, wrap_keys=("经营范围", "注册地址", "仓库地址"))
    s.text(104, 228, f"发证机关　{issuer}", 11.5)
    s.text(104, 240, f"发证日期　{issued:%Y年%m月%d日}", 11.5)
    s.text(104, 252, f"有效期至　{valid:%Y年%m月%d日}", 11.5)
    s.seal(150, 236, issuer[:12])
    fields = {"企业名称": p.company, "统一社会信用代码": p.uscc, "法定代表人": rep, "企业负责人": head,
              "质量负责人": qa, "经营方式": compact(mode[0]), "经营范围": normalise_scope(scope),
              "注册地址": compact(p.address), "仓库地址": compact(warehouse), "证号": number,
              "发证机关": issuer, "发证日期": issued.isoformat(), "有效期至": valid.isoformat()}
    return Rendered(s.image, "drug_business_licence", fields, s.lines)


def health_certificate(f: Faker, s: Sheet) -> Rendered:
    province, city, district, _, region = f.place()
    raw, name = f.person(traditional_ok=True)
    male = f.rng.random() < 0.5
    born = f.date(1965, 2004)
    checked = f.date(2023, 2025)
    age = checked.year - born.year - ((checked.month, checked.day) < (born.month, born.day))
    number = f.id_number(region, born, male)
    serial = f"{region}{checked.year}{f.rng.randrange(10**6):06d}"
    valid = checked.replace(year=checked.year + 1) - dt.timedelta(days=1)
    unit = f"{city}{district}疾病预防控制中心"
    kind = f.rng.choice(["食品生产经营", "公共场所", "药品经营"])
    s.centre(30, "从业人员健康证明", 24, font=TITLE_FONT)
    s.centre(44, "（预防性健康检查合格证明）", 11)
    rows = [("姓名", raw), ("性别", "男" if male else "女"), ("年龄", f"{age}岁"), ("身份证号", number),
            ("从业类别", kind), ("编号", serial), ("体检日期", f"{checked:%Y年%m月%d日}"),
            ("有效期至", f"{valid:%Y年%m月%d日}"), ("体检单位", unit)]
    _rows(s, rows, 62, x=45, vx=85, pt=13, step=13)
    s.seal(150, 175, unit[:12], radius=18)
    fields = {"姓名": name, "性别": "男" if male else "女", "年龄": age, "身份证号": number,
              "从业类别": kind, "编号": serial, "体检日期": checked.isoformat(),
              "有效期至": valid.isoformat(), "体检单位": unit}
    return Rendered(s.image, "health_certificate", fields, s.lines)


def articles(f: Faker, s: Sheet) -> Rendered:
    p = f.party()
    s.centre(24, f"{p.company}章程", 18, font=TITLE_FONT)
    body = [
        "第一章　总则",
        "第一条　为规范公司的组织和行为，保护公司、股东和债权人的合法权益，根据《中华人民共和国公司法》制定本章程。",
        f"第二条　本公司名称为：{p.company}",
        f"第三条　本公司住所：{p.address}",
        "第二章　经营范围",
        f"第四条　公司经营范围：{p.scope}",
        "第三章　注册资本",
        f"第五条　本公司注册资本为：人民币{p.capital_wan}万元",
        "第六条　股东应当按期足额缴纳各自所认缴的出资额。",
        "第四章　股东会",
        "第七条　股东会由全体股东组成，是公司的权力机构，依照本章程行使职权。",
    ]
    s.paragraphs(42.0, body, gap=3)
    fields = {"名称": p.company, "住所": compact(p.address), "注册资本": float(p.capital_wan * 10000)}
    return Rendered(s.image, "articles", fields, s.lines)


def capital_report(f: Faker, s: Sheet) -> Rendered:
    p = f.party()
    firm = f"{p.city[:-1]}{f.rng.choice(['诚信', '正大', '天健', '立信', '中和'])}会计师事务所有限公司"
    report_no = f"{p.city[:2]}会验字〔{p.founded.year}〕第{f.rng.randrange(1, 999):04d}号"
    day = p.founded + dt.timedelta(days=f.rng.randrange(3, 30))
    s.centre(26, "验资报告", 26, font=TITLE_FONT)
    body = [
        f"报告编号：{report_no}",
        f"被审验单位：{p.company}",
        "我们接受委托，审验了贵公司截至验资日止申请设立登记的注册资本实收情况。按照国家相关法律、法规的规定和协议、章程的要求出资，提供真实、合法、完整的验资资料是全体股东及贵公司的责任。",
        f"注册资本：人民币{upper_amount_wan(p.capital_wan)}",
        f"实收资本：人民币{p.capital_wan}万元",
        f"会计师事务所：{firm}",
        f"报告日期：{day.year}年{day.month}月{day.day}日",
    ]
    y = s.paragraphs(48.0, body, gap=4)
    s.seal(150, y + 10, firm[:12])
    fields = {"被审验单位": p.company, "报告编号": _code(report_no), "注册资本": float(p.capital_wan * 10000),
              "实收资本": float(p.capital_wan * 10000), "会计师事务所": firm, "报告日期": day.isoformat()}
    return Rendered(s.image, "capital_report", fields, s.lines)


def application_form(f: Faker, s: Sheet) -> Rendered:
    p = f.party()
    agent_raw, agent = f.person()
    phone = f"1{f.rng.choice('3578')}{f.rng.randrange(10**9):09d}"
    matter = f.rng.choice([("食品经营许可申请书", "食品经营许可（新办）"), ("药品经营许可申请表", "药品零售经营许可（新办）")])
    s.centre(24, matter[0], 20, font=TITLE_FONT)
    rows = [[("申请人名称", p.company)], [("统一社会信用代码", p.uscc)],
            [("法定代表人", p.legal_rep), ("联系电话", phone)], [("经营场所", p.address[:24])],
            [("申请事项", matter[1])], [("经办人", agent), ("经办人电话", f"0577{f.rng.randrange(10**7, 10**8)}")]]
    x0, x1, y = 20.0, 190.0, 40.0
    pairs: dict[str, object] = {}
    for row in rows:
        s.rect(x0, y, x1, y + 14, width=0.3)
        span = (x1 - x0) / len(row)
        for i, (label, value) in enumerate(row):
            cx = x0 + i * span
            s.rule(cx + 38, y, cx + 38, y + 14)
            if i:
                s.rule(cx, y, cx, y + 14)
            s.text(cx + 2, y + 4.5, label, 10.5)
            s.text(cx + 40, y + 4.5, value, 10.5)
            pairs[label] = compact(value)
        y += 14
    s.text(22, y + 12, "本人承诺所提交材料真实有效，如有虚假愿承担相应法律责任。", 11)
    s.text(22, y + 26, "申请人签字：", 11)
    s.text(120, y + 26, f"{p.founded.year + 1}年{p.founded.month}月{p.founded.day}日", 11)
    return Rendered(s.image, "application_form", pairs, s.lines)


def other(f: Faker, s: Sheet) -> Rendered:
    p = f.party()
    day = f.date(2023, 2025)
    s.centre(26, "会议纪要", 24, font=TITLE_FONT)
    body = [f"时间：{day.year}年{day.month}月{day.day}日上午九时", f"地点：{p.company}三楼会议室",
            "出席人员：全体部门负责人", "会议议题：研究部署下一阶段重点工作。",
            "会议指出，要进一步提高服务效率，优化办事流程，切实做到让群众少跑腿。",
            "会议要求，各部门要加强协作，按时完成各项任务，确保工作落到实处。"]
    s.paragraphs(48.0, body, gap=4)
    return Rendered(s.image, "other", {}, s.lines)


RENDERERS: dict[str, Callable[[Faker, Sheet], Rendered]] = {
    "business_licence": business_licence,
    "id_card": id_card,
    "lease_contract": lease_contract,
    "food_business_licence": food_business_licence,
    "drug_business_licence": drug_business_licence,
    "health_certificate": health_certificate,
    "articles": articles,
    "capital_report": capital_report,
    "application_form": application_form,
    "other": other,
}
