// The clerk's desk: plain JS over the JSON API (no build step). Every value is inserted as text.
"use strict";

const KEY = "onceonly.key";
const view = document.getElementById("view");

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (v !== null && v !== undefined && v !== false) el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) el.append(c instanceof Node ? c : document.createTextNode(c ?? ""));
  return el;
}

function toast(text) {
  const t = document.getElementById("toast");
  t.textContent = text; t.style.display = "block";
  clearTimeout(toast.timer); toast.timer = setTimeout(() => (t.style.display = "none"), 6000);
}

async function api(method, path, body, raw) {
  const headers = { Authorization: "Bearer " + (sessionStorage.getItem(KEY) || "") };
  let payload = body;
  if (body && !(body instanceof FormData)) { headers["Content-Type"] = "application/json"; payload = JSON.stringify(body); }
  const res = await fetch(path, { method, headers, body: payload });
  if (!res.ok) {
    let problem = {};
    try { problem = await res.json(); } catch (e) { /* not JSON */ }
    const msg = problem.message_zh ? `${problem.message_zh} / ${problem.message_en}` : res.statusText;
    toast(`${res.status}: ${msg}`);
    throw new Error(msg);
  }
  return raw ? res.blob() : res.json();
}

async function openPdf(path) {
  const blob = await api("GET", path, null, true);
  window.open(URL.createObjectURL(blob), "_blank");
}

function keyView() {
  const input = h("input", { type: "password", placeholder: "oo_…", value: sessionStorage.getItem(KEY) || "" });
  view.replaceChildren(h("section", {}, h("h2", {}, "API 密钥 / API key"),
    h("p", {}, "粘贴 onceonly setup 打印的密钥（仅保存在本标签页）。Paste the key printed by onceonly setup (kept in this tab only)."),
    input, h("button", { onclick: () => { sessionStorage.setItem(KEY, input.value.trim()); location.hash = "#/cases"; } }, "保存 Save")));
}

async function casesView() {
  const data = await api("GET", "/api/v1/cases?limit=100");
  const rows = data.cases.map((c) => h("tr", {},
    h("td", {}, h("a", { href: `#/case/${encodeURIComponent(c.id)}` }, c.id)), h("td", {}, c.matter_name),
    h("td", {}, c.applicant_name || c.owner_code), h("td", {}, c.state), h("td", {}, c.received_on)));
  view.replaceChildren(h("section", {}, h("h2", {}, "办件 Cases"),
    h("table", {}, h("tr", {}, ["编号 ID", "事项 Matter", "申请人 Applicant", "状态 State", "收件 Received"].map((t) => h("th", {}, t))), rows)));
}

async function newCaseView() {
  const matters = (await api("GET", "/api/v1/matters")).matters;
  const matter = h("select", {}, matters.map((m) => h("option", { value: m.id }, `${m.name} (${m.materials_count} 项材料)`)));
  const owner = h("input", { placeholder: "统一社会信用代码 / 身份证号" });
  const name = h("input", { placeholder: "申请人名称" });
  const phone = h("input", { placeholder: "联系电话" });
  const submit = async () => {
    const c = await api("POST", "/api/v1/cases", { matter_id: matter.value, owner_code: owner.value, applicant_name: name.value, contact_phone: phone.value });
    location.hash = `#/case/${encodeURIComponent(c.id)}`;
  };
  view.replaceChildren(h("section", {}, h("h2", {}, "新办件 New case"),
    h("label", {}, "事项 Matter ", matter), h("label", {}, "申请人代码 Owner code ", owner),
    h("label", {}, "申请人 Applicant ", name), h("label", {}, "电话 Phone ", phone), h("button", { onclick: submit }, "开始 Open case")));
}

function materialRow(c, m, refresh) {
  const file = h("input", { type: "file", accept: "application/pdf,image/*" });
  const upload = async () => {
    if (!file.files.length) return toast("请选择文件 Choose a file");
    const form = new FormData();
    form.append("file", file.files[0]); form.append("owner_code", c.owner_code);
    form.append("doc_type", m.doc_types[0] || "other"); form.append("case_ref", c.id);
    const doc = await api("POST", "/api/v1/documents", form);
    await api("POST", `/api/v1/cases/${encodeURIComponent(c.id)}/materials/${encodeURIComponent(m.material_id)}`, { doc_id: doc.id });
    refresh();
  };
  const reject = async () => {
    await api("POST", `/api/v1/cases/${encodeURIComponent(c.id)}/materials/${encodeURIComponent(m.material_id)}/reject`, { reason: "窗口人员退回" });
    refresh();
  };
  return h("tr", {}, h("td", { class: m.kind === "main" ? "main" : "" }, m.name, m.kind === "main" ? " (主件)" : " (可容缺)"),
    h("td", {}, h("span", { class: `badge ${m.status}` }, m.status), m.reused_from_case ? ` ← ${m.reused_from_case}` : "",
      m.checks && m.checks.state !== "passed"
        ? h("span", { class: `checks ${m.checks.state}`, title: "四性检测 intake checks" },
          ` 检测 ${m.checks.state}: ${m.checks.flags.join(", ")}`) : ""),
    h("td", {}, m.standard),
    h("td", {}, m.status === "reused" ? h("button", { onclick: reject }, "退回复用 Reject") : "",
      ["missing", "rejected"].includes(m.status) ? [file, h("button", { onclick: upload }, "上传 Upload")] : ""));
}

async function formSection(c, refresh) {
  const form = await api("GET", `/api/v1/cases/${encodeURIComponent(c.id)}/form`);
  const rows = form.fields.map((f) => {
    const input = h("input", { value: f.value ?? "" });
    const save = async () => { await api("PUT", `/api/v1/cases/${encodeURIComponent(c.id)}/form`, { values: { [f.name]: input.value } }); refresh(); };
    const resolve = async () => { await api("POST", `/api/v1/cases/${encodeURIComponent(c.id)}/form/${encodeURIComponent(f.name)}/resolve`, { value: input.value }); refresh(); };
    const conflict = f.conflict && !f.resolved;
    return h("tr", { class: conflict ? "conflict" : "" }, h("td", {}, f.label || f.name), h("td", {}, input),
      h("td", {}, (f.candidates || []).map((s) => `${s.source}: ${s.value}`).join("；")),
      h("td", {}, f.valid === false ? h("span", { class: "warn" }, "校验失败 check failed ") : "",
        conflict ? h("button", { onclick: resolve }, "以此为准 Resolve") : h("button", { onclick: save }, "保存 Save")));
  });
  return h("section", {}, h("h3", {}, "表单预填 Pre-filled form"),
    h("table", {}, h("tr", {}, ["字段 Field", "值 Value", "来源 Sources", ""].map((t) => h("th", {}, t))), rows));
}

async function caseView(id) {
  const refresh = () => caseView(id);
  const c = await api("GET", `/api/v1/cases/${encodeURIComponent(id)}`);
  const act = (path, body) => async () => { await api("POST", `/api/v1/cases/${encodeURIComponent(id)}/${path}`, body || {}); refresh(); };
  const d = c.decision;
  const actions = h("section", {}, h("h3", {}, "决定 Decision"),
    h("p", {}, `结论 outcome: ${d.outcome}；缺主件 missing main: ${d.missing_main.length}；缺次要 missing secondary: ${d.missing_secondary.length}`,
      d.deadline ? `；补正期限 deadline: ${d.deadline}` : ""),
    h("button", { onclick: act("notice") }, "出具一次性告知书 One-time notice"),
    h("button", { onclick: act("accept") }, "受理 Accept"),
    h("button", { onclick: act("accept-with-deficiency") }, "容缺受理 Accept with deficiency"),
    h("button", { onclick: act("approve") }, "批准 Approve"),
    h("button", { onclick: act("reject", { reason: prompt_reason() }) }, "不予许可 Reject"),
    h("button", { onclick: act("withdraw") }, "撤回 Withdraw"));
  const notices = h("section", {}, h("h3", {}, "告知书 Notices"), c.notices.map((n) =>
    h("p", {}, `${n.number} ${n.kind} `, h("button", { onclick: () => openPdf(`/api/v1/cases/${encodeURIComponent(id)}/notices/${encodeURIComponent(n.id)}/pdf`) }, "打印 Print"))));
  view.replaceChildren(
    h("section", {}, h("h2", {}, `${c.matter_name} · ${c.id}`),
      h("p", {}, `${c.applicant_name} ${c.owner_code} · 状态 ${c.state} · 承诺办结 ${c.committed_due || "—"}`),
      c.warnings.map((w) => h("p", { class: "warn" }, `${w.message_zh} / ${w.message_en}`))),
    h("section", {}, h("h3", {}, "材料 Materials"),
      h("table", {}, h("tr", {}, ["材料 Material", "状态 Status", "要求 Standard", ""].map((t) => h("th", {}, t))),
        c.materials.map((m) => materialRow(c, m, refresh)))),
    await formSection(c, refresh), actions, notices);
}

function prompt_reason() { return window.prompt("理由 Reason") || "—"; }

async function route() {
  if (!sessionStorage.getItem(KEY) && location.hash !== "#/key") { location.hash = "#/key"; return; }
  const [, page, arg] = location.hash.split("/");
  try {
    if (page === "key") keyView();
    else if (page === "new") await newCaseView();
    else if (page === "case" && arg) await caseView(decodeURIComponent(arg));
    else await casesView();
  } catch (e) { view.replaceChildren(h("section", {}, h("p", { class: "warn" }, String(e.message || e)))); }
}

window.addEventListener("hashchange", route);
route();
