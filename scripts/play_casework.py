"""Play the casework story of issue 11 against a running service, API only, real OCR.

    bash scripts/serve.sh --port 8123 &      # prints the clerk key at first setup
    .venv/bin/python scripts/play_casework.py http://127.0.0.1:8123 CLERK_KEY

Case 1 archives a long-term business licence and the legal representative's ID card (rendered here
and read by the service's OCR); another person's card is archived later; case 2 reuses the licence and
the right card, pre-fills 法定代表人 from the licence; a lease of another tenant is a blocking check and
受理 answers 409 case_checks_open. Each step is printed.
"""
import io
import json
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.ocrgen.sheet import FONTS, TITLE_FONT, Sheet  # noqa: E402
from ocr.identifiers import uscc_check_char  # noqa: E402

BASE, CLERK = sys.argv[1].rstrip("/"), sys.argv[2]
CO = "91330302MA2AB1C2D" + uscc_check_char("91330302MA2AB1C2D")
NAME = "温州仁心大药房有限公司"

def png(sheet):
    out = io.BytesIO(); sheet.image.save(out, "PNG"); return out.getvalue()

def licence():
    s = Sheet(200, FONTS[0])
    s.centre(28, "营业执照", 30, font=TITLE_FONT)
    s.text(28, 56, f"统一社会信用代码　{CO}", 12)
    y = 72
    for k, v in [("名称", NAME), ("类型", "有限责任公司"), ("法定代表人", "张三"), ("成立日期", "2015年11月18日"),
                 ("营业期限", "2015年11月18日至长期"), ("住所", "浙江省温州市鹿城区五马街1号"), ("经营范围", "药品零售")]:
        s.text(28, y, f"{k}　{v}", 12); y += 12
    s.text(108, 232, "登记机关　温州市鹿城区市场监督管理局", 12)
    return png(s)

def card(name, number):
    s = Sheet(200, FONTS[0]); x0, y0 = 62, 30
    s.text(x0 + 5, y0 + 6, f"姓名　{name}", 10.5)
    s.text(x0 + 5, y0 + 13, "性别　男　　民族　汉", 10.5)
    s.text(x0 + 5, y0 + 20, "出生　1980年1月1日", 10.5)
    s.text(x0 + 5, y0 + 27, "住址　浙江省温州市鹿城区五马街1号", 10.5)
    s.text(x0 + 5, y0 + 46, f"公民身份号码　{number}", 11)
    s.text(x0 + 30, 128, "中华人民共和国", 14, font=TITLE_FONT)
    s.text(x0 + 24, 137, "居民身份证", 22, font=TITLE_FONT)
    s.text(x0 + 8, 156, "签发机关　温州市公安局鹿城分局", 10.5)
    s.text(x0 + 8, 164, "有效期限　2018.05.01-2038.05.01", 10.5)
    return png(s)

def lease():
    s = Sheet(200, FONTS[0])
    s.centre(25, "房屋租赁合同", 24, font=TITLE_FONT)
    s.paragraphs(45.0, ["出租方（甲方）：李五", "承租方（乙方）：温州某某贸易有限公司",
                        "第一条　房屋坐落：浙江省温州市鹿城区五马街1号",
                        "第二条　租赁期限：自2026年1月1日起至2028年12月31日止。", "第三条　租金：每月人民币3500元。"], gap=3)
    return png(s)

def call(method, path, key, body=None, files=None):
    headers = {"Authorization": f"Bearer {key}"}
    data = None
    if files:
        boundary = "----play11"
        parts = []
        for k, v in files["fields"].items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode())
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="s.png"\r\nContent-Type: image/png\r\n\r\n'.encode()
                     + files["png"] + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        data = b"".join(parts); headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    elif body is not None:
        data = json.dumps(body).encode(); headers["Content-Type"] = "application/json"
    req = urllib.request.Request(BASE + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=300) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")

def upload(image, doc_type, case_ref):
    st, body = call("POST", "/api/v1/documents", CLERK, files={"png": image, "fields": {
        "owner_code": CO, "doc_type": doc_type, "case_ref": case_ref}})
    assert st == 201, (st, body)
    doc = body["id"]
    for _ in range(200):
        st, res = call("GET", f"/api/v1/documents/{doc}/ocr", CLERK)
        if st == 200:
            fields = {k: v["value"] for k, v in res["result"]["fields"].items()}
            print(f"  OCR {doc_type}: {json.dumps(fields, ensure_ascii=False)}")
            return doc
        time.sleep(1)
    raise SystemExit(f"OCR of {doc} did not finish: {st} {res}")

st, one = call("POST", "/api/v1/cases", CLERK, {"matter_id": "food-business-licence", "owner_code": CO, "applicant_name": NAME})
print("case 1", st, one["id"], one["state_zh"])
lic = upload(licence(), "business_licence", one["id"])
zhang = upload(card("张三", "440524188001010014"), "id_card", one["id"])
for m, d in (("business-licence", lic), ("legal-rep-id", zhang)):
    st, c = call("POST", f"/api/v1/cases/{one['id']}/materials/{m}", CLERK, {"doc_id": d}); assert st == 200, c
li = upload(card("李四", "11010519491231002X"), "id_card", "BJ-OTHER")
st, two = call("POST", "/api/v1/cases", CLERK, {"matter_id": "drug-retail-licence", "owner_code": CO, "applicant_name": NAME})
mats = {m["material_id"]: m for m in two["materials"]}
print("case 2", st, "licence reused:", mats["business-licence"]["doc_id"] == lic, "| legal-rep-id:",
      mats["legal-rep-id"]["status"], "is Zhang's" if mats["legal-rep-id"]["doc_id"] == zhang else
      ("IS LI'S!" if mats["legal-rep-id"]["doc_id"] == li else "none"), mats["legal-rep-id"]["note"])
st, form = call("GET", f"/api/v1/cases/{two['id']}/form", CLERK)
f = {x["name"]: x for x in form["fields"]}
print("  form 法定代表人:", f["legal_rep"]["value"], f["legal_rep"]["source"], "conflict" if f["legal_rep"]["conflict"] else "")
ls = upload(lease(), "lease_contract", two["id"])
st, case = call("POST", f"/api/v1/cases/{two['id']}/materials/lease", CLERK, {"doc_id": ls})
print("  checks on lease:", [(c["code"], c["severity"]) for c in case["checks"] if c["material_id"] == "lease"])
for m in case["materials"]:
    if m["status"] == "missing":
        s = Sheet(100, FONTS[0]); s.text(20, 20, m["name"], 12)
        st, b = call("POST", "/api/v1/documents", CLERK, files={"png": png(s), "fields": {"owner_code": CO, "doc_type": m["doc_types"][0], "case_ref": two["id"]}})
        call("POST", f"/api/v1/cases/{two['id']}/materials/{m['material_id']}", CLERK, {"doc_id": b["id"]})
st, refused = call("POST", f"/api/v1/cases/{two['id']}/accept", CLERK)
print("  受理:", st, refused.get("code"), [(x["code"], x.get("material_id") or x.get("field")) for x in refused.get("open", [])])
