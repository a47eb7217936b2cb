// The desk's core: elements built with createElement and textContent only, the API with its problems shown in
// Chinese, the key's role (GET /api/v1/me) and the page router. Plain scripts, no build step.
"use strict";

const KEY = "onceonly.key";
const view = document.getElementById("view");
const desk = { me: null, pages: {}, types: {
  application_form: "申请表", articles: "章程", business_licence: "营业执照", capital_report: "验资报告",
  drug_business_licence: "药品经营许可证", food_business_licence: "食品经营许可证", health_certificate: "健康证明",
  id_card: "居民身份证", lease_contract: "租赁合同", equipment_layout: "设备布局和流程", food_safety_rules: "食品安全规章制度",
  power_of_attorney: "授权委托书", floor_plan: "平面图", approval_document: "批准文件", donation_commitment: "捐资承诺书", facility_list: "设施设备清单",
  it_system_description: "计算机系统说明", meeting_minutes: "会议纪要", member_list: "会员名单", pharmacist_certificate: "药师资格证",
  property_certificate: "产权证明", qualification_certificate: "资格证书", quality_system_list: "质量管理制度目录",
  site_photo: "场所照片", other: "其他" } };

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k.startsWith("on")) el.addEventListener(k.slice(2), (e) => guard(v(e)));
    else if (v !== null && v !== undefined && v !== false) el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(3)) el.append(c instanceof Node ? c : document.createTextNode(c ?? ""));
  return el;
}

const ZH = {
  material: { missing: "缺", provided: "已提交", reused: "复用", rejected: "已退回" },
  kind: { main: "主件", secondary: "可容缺" },
  notice: { correction: "一次性告知书（补正）", deficiency: "容缺受理通知书" },
  job: { queued: "排队中", running: "识别中", done: "识别完成", failed: "识别失败" },
  parcel: { ready: "待揽收", picked_up: "已揽收", delivered: "已妥投", returned: "已退回" },
  method: { pickup: "窗口领取", download: "网上下载", courier: "快递送达" },
  outcome: { accept: "材料齐全，可受理", accept_with_deficiency: "主件齐全，可容缺受理", notice: "材料不全，须一次性告知" },
  role: { clerk: "窗口人员", approver: "审批人员", courier: "快递员", admin: "管理员", system: "系统", applicant: "申请人" },
  check: { passed: "通过", warning: "提醒", failed: "未通过" },
  severity: { blocking: "须处理", warning: "提醒" },
  action: { read_metadata: "查看信息", read_content: "读取原件", upload: "上传", ingest: "归档", list: "列出文件", search: "检索文件",
    read_access_log: "查看查阅记录", ocr: "识别", read_case: "查看办件", work_case: "办理办件", list_cases: "办件列表",
    read_ocr: "读取识别结果", read_job: "查看识别任务", list_licences: "列出证照", reuse: "复用", check: "检测", append: "追加" },
  field: { owner_code: "申请人代码", matter_id: "事项", applicant_name: "申请人", contact_phone: "电话", doc_id: "文件",
    reason: "理由", file: "文件", doc_type: "材料类型", value: "值", supplement_days: "补正天数", method: "送达方式",
    recipient: "收件人", name: "姓名", phone: "电话", address: "地址", page: "页码", data: "证照内容", type: "证照类型",
    text: "文字", from: "收件自", to: "至", q: "搜索" },
};
// A failed click was already shown (toast); any other error is shown too, never left unhandled.
function guard(result) {
  if (result && typeof result.catch === "function") result.catch((e) => { if (!(e instanceof ApiError)) toast(String(e.message || e), "error"); });
}

const zh = (table, v) => (ZH[table] && ZH[table][v]) || v || "—";

function toast(text, kind) {
  const t = document.getElementById("toast");
  t.replaceChildren(...[].concat(text).map((line) => h("div", {}, line)));
  t.className = kind || ""; t.style.display = "block";
  clearTimeout(toast.timer); toast.timer = setTimeout(() => (t.style.display = "none"), 9000);
}

// A problem+json as lines a clerk can act on: the message, then which field and why (422).
function problemLines(status, p) {
  const lines = [`${status} · ${p.message_zh || "请求失败"}${p.message_en ? " / " + p.message_en : ""}`];
  for (const e of p.errors || []) {
    const field = (e.loc || []).filter((x) => !["body", "query", "path"].includes(x)).map((x) => zh("field", x)).join(" › ");
    lines.push(`字段「${field || "请求"}」：${e.msg}`);
  }
  if (p.accepted_types) lines.push(`可接受的类型：${p.accepted_types.map((t) => desk.types[t] || t).join("、")}`);
  if (p.missing_materials) {
    const wanted = [...new Set(Object.values(p.missing_materials).flat())].map((t) => desk.types[t] || t);
    lines.push(`文件类型「${desk.types[p.doc_type] || p.doc_type}」；尚缺的材料须为：${wanted.join("、") || "无"}`);
  }
  if (p.field) lines.push(`字段「${zh("field", p.field)}」`);
  for (const f of p.open || []) lines.push(`待处理：${f.message_zh || f.code}`);
  return lines;
}

class ApiError extends Error {
  constructor(status, problem) { super(problemLines(status, problem).join("；")); this.status = status; this.problem = problem; }
}

async function api(method, path, body, opts) {
  const o = opts || {};
  const headers = { Authorization: "Bearer " + (sessionStorage.getItem(KEY) || "") };
  let payload = body;
  if (body && !(body instanceof FormData)) { headers["Content-Type"] = "application/json"; payload = JSON.stringify(body); }
  const res = await fetch(path, { method, headers, body: payload });
  if (!res.ok && !(o.accept || []).includes(res.status)) {
    let problem = {};
    try { problem = await res.json(); } catch (e) { /* not JSON */ }
    if (!o.quiet) toast(problemLines(res.status, problem), "error");
    throw new ApiError(res.status, problem);
  }
  if (o.raw) return res.blob();
  return o.withStatus ? { status: res.status, body: await res.json() } : res.json();
}

async function blobUrl(path) { return URL.createObjectURL(await api("GET", path, null, { raw: true })); }

function download(blob, name) {
  const a = h("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(a); a.click(); a.remove();
}

const may = (action) => !!desk.me && desk.me.actions.includes(action);
const q = (params) => new URLSearchParams(Object.entries(params).filter(([, v]) => v !== "" && v != null)).toString();
const enc = encodeURIComponent;

function confirmThen(text, fn) { return async () => { if (window.confirm(text)) await fn(); }; }

// Only the newest navigation may draw: a slow page finishing late never covers the page asked for after it.
function show(tok, ...nodes) { if (tok === desk.token) view.replaceChildren(...nodes); }

function section(title, ...children) { return h("section", {}, h("h3", {}, title), ...children); }

function table(headers, rows) {
  return h("table", {}, h("thead", {}, h("tr", {}, headers.map((t) => h("th", {}, t)))), h("tbody", {}, rows));
}

// Owner codes checked as typed: 统一社会信用代码 (GB 32100) and 身份证号 (GB 11643) check characters.
const USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY";
function ownerCodeProblem(raw) {
  const code = raw.trim().toUpperCase();
  if (!code) return "请输入统一社会信用代码或身份证号";
  if (code.length === 18 && /^\d{17}[\dX]$/.test(code)) {
    const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const sum = w.reduce((s, wi, i) => s + wi * Number(code[i]), 0);
    if ("10X98765432"[sum % 11] === code[17]) return null;
  }
  if (code.length === 18 && [...code].every((c) => USCC_CHARS.includes(c))) {
    const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    const sum = w.reduce((s, wi, i) => s + wi * USCC_CHARS.indexOf(code[i]), 0);
    if (USCC_CHARS[(31 - (sum % 31)) % 31] === code[17]) return null;
    return "统一社会信用代码校验位不符";
  }
  if (code.length !== 18) return `应为 18 位（现 ${code.length} 位）`;
  return "身份证号校验位不符";
}

async function loadMe() {
  desk.me = await api("GET", "/api/v1/me", null, { quiet: true });
  document.body.dataset.role = desk.me.role;
  const nav = document.getElementById("nav");
  const links = [["#/cases", "办件", "case.read"], ["#/new", "新办件", "case.work"], ["#/docs", "文件", "document.read"],
    ["#/log", "查阅记录", "access_log.read"], ["#/kpi", "指标", "metrics.read"], ["#/courier", "快递", "parcel.read"]];
  nav.replaceChildren(...links.filter(([, , a]) => may(a)).map(([href, t]) => h("a", { href }, t)),
    h("a", { href: "#/key", id: "who" }, `${desk.me.name} · ${zh("role", desk.me.role)}`));
}

function keyView() {
  const input = h("input", { type: "password", id: "key-input", placeholder: "oo_…", value: sessionStorage.getItem(KEY) || "" });
  const save = async () => {
    sessionStorage.setItem(KEY, input.value.trim()); desk.me = null; delete document.body.dataset.role;
    if (location.hash === "#/home") await route(); else location.hash = "#/home";
  };
  view.replaceChildren(section("API 密钥 / API key",
    h("p", {}, "粘贴 onceonly keys create 打印的密钥（仅保存在本标签页）。Paste the key printed by onceonly keys create (kept in this tab only)."),
    input, h("button", { onclick: save, id: "key-save" }, "保存 Save")));
}

function home() {
  if (may("case.read")) return "cases";
  if (may("parcel.read")) return "courier";
  return "key";
}

async function route() {
  if (!sessionStorage.getItem(KEY) && location.hash !== "#/key") { location.hash = "#/key"; return; }
  const [, page, ...rest] = location.hash.split("/");
  desk.token = {};
  try {
    if (page === "key") { keyView(); return; }
    if (!desk.me) await loadMe();
    const needs = { cases: "case.read", case: "case.read", new: "case.work", docs: "document.read", log: "access_log.read",
      kpi: "metrics.read", courier: "parcel.read" };
    const name = page && desk.pages[page] && may(needs[page]) ? page : home();
    if (name === "key") { keyView(); return; }
    await desk.pages[name](...rest.map(decodeURIComponent));
  } catch (e) {
    if (e.status === 401) { sessionStorage.removeItem(KEY); desk.me = null; }
    view.replaceChildren(section("出错了 Error", h("p", { class: "warn" }, String(e.message || e))));
  }
}

window.addEventListener("hashchange", route);
window.addEventListener("DOMContentLoaded", route);
