"""Plausible applicant data: company and person names, addresses, dates, valid identifiers."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from ocr.identifiers import USCC_CHARSET, id_card_check_char, org_code_check_char, uscc_check_char

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余叶程苏吕魏丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤康易乔赖文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰萍红娟建国志伟晓东海燕宇浩然子涵欣怡思远佳琪俊杰雨轩梓萱文博一鸣嘉怡晨阳立新卫东春梅秋菊雪峰振华"
TRADITIONAL_NAMES = [("張偉", "张伟"), ("陳曉東", "陈晓东"), ("劉麗華", "刘丽华"), ("黃國強", "黄国强"),
                     ("趙誌剛", "赵志刚"), ("吳海燕", "吴海燕"), ("鄭雲", "郑云"), ("蕭穎", "萧颖")]
CITIES = [("浙江省", "温州市", ["鹿城区", "龙湾区", "瓯海区", "洞头区", "瑞安市", "乐清市"], "330300"),
          ("浙江省", "杭州市", ["上城区", "拱墅区", "西湖区", "滨江区", "萧山区", "余杭区"], "330100"),
          ("福建省", "厦门市", ["思明区", "湖里区", "集美区", "海沧区", "同安区", "翔安区"], "350200"),
          ("福建省", "福州市", ["鼓楼区", "台江区", "仓山区", "晋安区", "马尾区", "长乐区"], "350100"),
          ("广东省", "广州市", ["天河区", "越秀区", "海珠区", "白云区", "番禺区", "黄埔区"], "440100"),
          ("江苏省", "南京市", ["玄武区", "秦淮区", "建邺区", "鼓楼区", "栖霞区", "江宁区"], "320100"),
          ("湖南省", "长沙市", ["芙蓉区", "天心区", "岳麓区", "开福区", "雨花区", "望城区"], "430100")]
ROADS = ["人民路", "解放路", "中山路", "新华街", "学院路", "滨江大道", "府前街", "环城北路", "东风路",
         "建设路", "江滨西路", "科技园路", "文化路", "车站大道", "锦绣路"]
TRADE_WORDS = ["瑞丰", "鑫源", "宏达", "华通", "永盛", "恒信", "金鹏", "天成", "海川", "嘉禾", "博远",
               "德润", "信和", "安泰", "兴业", "明辉", "众联", "汇丰", "同创", "佳美"]
INDUSTRIES = [("贸易", "批发和零售贸易；货物进出口；技术进出口"),
              ("餐饮管理", "餐饮服务；食品销售；餐饮管理；外卖递送服务"),
              ("医药", "药品零售；医疗器械销售；保健食品销售"),
              ("科技", "软件开发；信息技术咨询服务；计算机系统服务；数据处理服务"),
              ("食品", "食品销售；预包装食品批发；散装食品零售；农副产品销售"),
              ("文化传播", "组织文化艺术交流活动；会议及展览服务；广告设计、代理")]
COMPANY_TYPES = ["有限责任公司（自然人投资或控股）", "有限责任公司（自然人独资）", "股份有限公司（非上市）",
                 "个人独资企业", "有限责任公司（非自然人投资或控股的法人独资）"]
ETHNIC = ["汉", "汉", "汉", "汉", "回", "满", "壮", "畲", "苗", "土家"]
CAPITALS_WAN = [10, 30, 50, 100, 200, 300, 500, 800, 1000]
UPPER_DIGITS = "零壹贰叁肆伍陆柒捌玖"


def upper_amount_wan(wan: int) -> str:
    """``100`` -> ``壹佰万元整`` (amounts in 万元, up to 9999)."""
    units = [(1000, "仟"), (100, "佰"), (10, "拾"), (1, "")]
    out, zero = "", False
    for size, name in units:
        digit = wan // size % 10
        if digit:
            if zero and out:
                out += "零"
            out += UPPER_DIGITS[digit] + name
            zero = False
        elif out:
            zero = True
    return out + "万元整"


def chinese_date(day: dt.date) -> str:
    digits = "〇一二三四五六七八九"
    year = "".join(digits[int(c)] for c in str(day.year))

    def small(n: int) -> str:
        if n < 10:
            return digits[n]
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")

    return f"{year}年{small(day.month)}月{small(day.day)}日"


@dataclass
class Party:
    company: str
    uscc: str
    legal_rep: str
    legal_rep_raw: str  # as printed (sometimes traditional characters)
    address: str
    district: str
    city: str
    province: str
    industry: str
    scope: str
    company_type: str
    capital_wan: int
    founded: dt.date


class Faker:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def person(self, traditional_ok: bool = False) -> tuple[str, str]:
        """(printed, simplified) name."""
        if traditional_ok and self.rng.random() < 0.35:
            return self.rng.choice(TRADITIONAL_NAMES)
        name = self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2))))
        return name, name

    def date(self, start_year: int, end_year: int) -> dt.date:
        start = dt.date(start_year, 1, 1)
        return start + dt.timedelta(days=self.rng.randrange((dt.date(end_year, 12, 31) - start).days))

    def place(self) -> tuple[str, str, str, str, str]:
        province, city, districts, region = self.rng.choice(CITIES)
        district = self.rng.choice(districts)
        street = f"{self.rng.choice(ROADS)}{self.rng.randrange(1, 400)}号"
        if self.rng.random() < 0.5:
            street += f"{self.rng.randrange(1, 30)}幢{self.rng.randrange(101, 2400)}室"
        return province, city, district, street, region

    def uscc(self, region: str, prefix: str = "91") -> str:
        body8 = "".join(self.rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
        org = body8 + org_code_check_char(body8)
        if any(c not in USCC_CHARSET for c in org):
            org = org.replace("X", "0")
        body = prefix + region + org
        return body + uscc_check_char(body)

    def id_number(self, region: str, born: dt.date, male: bool) -> str:
        seq = self.rng.randrange(0, 100) * 10 + (self.rng.choice((1, 3, 5, 7, 9)) if male else self.rng.choice((0, 2, 4, 6, 8)))
        body = f"{region}{born:%Y%m%d}{seq:03d}"
        return body + id_card_check_char(body)

    def party(self) -> Party:
        province, city, district, street, region = self.place()
        trade = self.rng.choice(TRADE_WORDS)
        industry, scope = self.rng.choice(INDUSTRIES)
        suffix = self.rng.choice(["有限公司", "有限责任公司", "股份有限公司"])
        company = f"{city[:-1]}{trade}{industry}{suffix}"
        raw, simple = self.person(traditional_ok=True)
        return Party(company, self.uscc(region), simple, raw, f"{province}{city}{district}{street}",
                     district, city, province, industry, scope + "。", self.rng.choice(COMPANY_TYPES),
                     self.rng.choice(CAPITALS_WAN), self.date(2005, 2023))
