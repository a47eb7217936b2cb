// Finding things: the case list (filters, paging, search), a new case, documents, an owner's access log.
"use strict";

const PAGE = 20;
const STATES = ["created", "collecting", "accepted", "accepted_with_deficiency", "notice_issued", "approved",
  "rejected", "issued", "delivered", "withdrawn"];
const STATE_ZH_FALLBACK = { created: "已创建", collecting: "收件中", accepted: "已受理", accepted_with_deficiency: "容缺受理",
  notice_issued: "已一次性告知", approved: "准予许可", rejected: "不予许可", issued: "已发证", delivered: "已送达", withdrawn: "已撤回" };

async function matters() {
  if (!desk.matters) desk.matters = (await api("GET", "/api/v1/matters")).matters;
  return desk.matters;
}

function caseRows(cases) {
  return cases.map((c) => h("tr", { "data-case": c.id },
    h("td", {}, h("a", { href: `#/case/${enc(c.id)}` }, c.id)), h("td", {}, c.matter_name),
    h("td", {}, c.applicant_name || "—", h("br"), h("small", {}, c.owner_code)),
    h("td", {}, h("span", { class: `state ${c.state}` }, c.state_zh)), h("td", {}, c.received_on || "—"),
    h("td", {}, c.committed_due || "—"), h("td", { class: "centre" }, c.centre || "—")));
}

desk.pages.cases = async (query) => {
  const tok = desk.token;
  const p = new URLSearchParams(query || "");
  const get = (k) => p.get(k) || "";
  const all = await matters();
  const state = h("select", { id: "f-state" }, h("option", { value: "" }, "全部状态"),
    STATES.map((s) => h("option", { value: s, selected: get("state") === s }, STATE_ZH_FALLBACK[s])));
  const matter = h("select", { id: "f-matter" }, h("option", { value: "" }, "全部事项"),
    all.map((m) => h("option", { value: m.id, selected: get("matter_id") === m.id }, m.name)));
  const from = h("input", { type: "date", id: "f-from", value: get("from") });
  const to = h("input", { type: "date", id: "f-to", value: get("to") });
  const overdue = h("input", { type: "checkbox", id: "f-overdue", checked: get("overdue") === "1" });
  const search = h("input", { id: "f-search", placeholder: "办件编号 / 申请人代码 / 名称", value: get("q") });
  // an admin picks a service centre; a clerk or approver sees their own centre's cases anyway (the server decides)
  const admin = !!desk.me && desk.me.role === "admin";
  const centre = h("input", { id: "f-centre", placeholder: "如 wz-lucheng", size: 12, value: get("centre") });
  const apply = (offset) => {
    location.hash = "#/cases/" + q({ state: state.value, matter_id: matter.value, from: from.value, to: to.value,
      overdue: overdue.checked ? "1" : "", q: search.value.trim(), centre: admin ? centre.value.trim().toLowerCase() : "",
      offset: offset || "" });
  };
  const offset = Number(get("offset") || 0);
  const text = get("q").toUpperCase();
  let cases;
  if (/^[A-Z]{2}\d{8}[A-Z0-9]+$/.test(text)) {  // a case number: open it directly
    try { cases = [await api("GET", `/api/v1/cases/${enc(text)}`, null, { quiet: true })]; } catch (e) { cases = []; }
  } else if (get("overdue") === "1") {
    cases = (await api("GET", "/api/v1/cases/overdue")).cases;
  } else {
    const owner = ownerCodeProblem(text) === null ? text : "";
    const data = await api("GET", "/api/v1/cases?" + q({ state: get("state"), matter_id: get("matter_id"), owner_code: owner,
      q: owner ? "" : get("q").trim(), from: get("from"), to: get("to"), centre: get("centre"), limit: PAGE + 1, offset }));
    cases = data.cases;
  }
  if (get("overdue") === "1") cases = cases.filter((c) => (!get("from") || c.received_on >= get("from")) && (!get("to") || c.received_on <= get("to")));
  const more = cases.length > PAGE;
  cases = cases.slice(0, PAGE);
  const filters = h("form", { class: "filters", onsubmit: (e) => { e.preventDefault(); apply(0); } },
    h("label", {}, "状态 ", state), h("label", {}, "事项 ", matter), h("label", {}, "收件自 ", from), h("label", {}, "至 ", to),
    admin ? h("label", {}, "中心 ", centre) : (desk.me && desk.me.centre ? h("span", { id: "my-centre", class: "hint" }, `本中心：${desk.me.centre}`) : ""),
    h("label", { class: "inline" }, overdue, " 容缺逾期"), h("label", {}, "搜索 ", search), h("button", { id: "f-apply" }, "查找 Search"));
  const pager = h("p", { class: "pager" },
    offset > 0 ? h("button", { id: "prev", onclick: () => apply(Math.max(0, offset - PAGE)) }, "‹ 上一页") : "",
    ` 第 ${offset / PAGE + 1} 页 `, more ? h("button", { id: "next", onclick: () => apply(offset + PAGE) }, "下一页 ›") : "");
  show(tok, section("办件 Cases", filters,
    cases.length ? table(["编号", "事项", "申请人", "状态", "收件", "承诺办结", "中心"], caseRows(cases)) : h("p", { id: "no-cases" }, "没有符合条件的办件"),
    pager));
  document.body.dataset.listed = location.hash;
};

desk.pages.new = async () => {
  const tok = desk.token;
  const all = await matters();
  const find = h("input", { id: "matter-search", placeholder: "搜索事项（名称或编号）" });
  const matter = h("select", { id: "matter", size: 6 });
  const fill = () => {
    const t = find.value.trim();
    const shown = all.filter((m) => !t || m.name.includes(t) || m.id.includes(t));
    matter.replaceChildren(...shown.map((m) => h("option", { value: m.id },
      `${m.name}（${m.materials_count} 项材料${m.immediate ? "，即办件" : ""}）`)));
    if (shown.length) matter.value = shown[0].id;
  };
  find.addEventListener("input", fill); fill();
  const owner = h("input", { id: "owner-code", placeholder: "统一社会信用代码 / 身份证号", autocomplete: "off" });
  const hint = h("span", { id: "owner-hint", class: "hint" }, "");
  owner.addEventListener("input", () => {
    const bad = ownerCodeProblem(owner.value);
    hint.textContent = bad ? `✗ ${bad}` : "✓ 校验位正确";
    hint.className = bad ? "hint bad" : "hint ok";
  });
  const name = h("input", { id: "applicant-name", placeholder: "申请人名称" });
  const phone = h("input", { id: "contact-phone", placeholder: "联系电话" });
  const submit = async () => {
    const bad = ownerCodeProblem(owner.value);
    if (bad) { toast(`申请人代码：${bad}`, "error"); owner.focus(); return; }
    const c = await api("POST", "/api/v1/cases", { matter_id: matter.value, owner_code: owner.value.trim().toUpperCase(),
      applicant_name: name.value, contact_phone: phone.value });
    location.hash = `#/case/${enc(c.id)}`;
  };
  show(tok, section("新办件 New case",
    h("label", {}, "事项 Matter ", find), matter, h("label", {}, "申请人代码 Owner code ", owner, " ", hint),
    h("label", {}, "申请人 Applicant ", name), h("label", {}, "电话 Phone ", phone),
    h("button", { id: "open-case", onclick: submit }, "开始收件 Open case")));
};

// Documents by owner, type and the words read from them (OCR): GET /api/v1/documents/search.
desk.pages.docs = async (query) => {
  const tok = desk.token;
  const p = new URLSearchParams(query || "");
  const owner = h("input", { id: "d-owner", placeholder: "申请人代码（可不填）", value: p.get("owner_code") || "" });
  const text = h("input", { id: "d-text", placeholder: "文件上识别出的文字", value: p.get("text") || "" });
  const type = h("select", { id: "d-type" }, h("option", { value: "" }, "全部类型"),
    Object.entries(desk.types).map(([k, v]) => h("option", { value: k, selected: p.get("doc_type") === k }, v)));
  const go = (e) => {
    e.preventDefault();
    location.hash = "#/docs/" + q({ owner_code: owner.value.trim().toUpperCase(), doc_type: type.value, text: text.value.trim() });
  };
  const form = h("form", { class: "filters", onsubmit: go }, h("label", {}, "申请人代码 ", owner), h("label", {}, "类型 ", type),
    h("label", {}, "文字 ", text), h("button", { id: "d-search" }, "查找 Search"));
  let results = h("p", {}, "按申请人代码、类型或文件上的文字（OCR）查找已归档的文件。");
  if (p.get("owner_code") || p.get("text")) {
    const data = await api("GET", "/api/v1/documents/search?" + q({ owner_code: p.get("owner_code"), doc_type: p.get("doc_type"),
      text: p.get("text"), limit: 50 }));
    results = data.items.length ? h("div", { class: "docgrid", id: "doc-results" }, data.items.map((d) => docCard(d, null, true)))
      : h("p", { id: "no-docs" }, "没有找到文件");
  }
  const scan = h("div", { id: "scan", class: "scan" }, p.get("owner_code") || p.get("text") ? h("p", {}, "点击文件查看原件。") : "");
  show(tok, section("文件 Documents", form, results, scan));
  document.body.dataset.docsListed = location.hash;
};

desk.pages.log = async (query) => {
  const tok = desk.token;
  const p = new URLSearchParams(query || "");
  const owner = h("input", { id: "l-owner", placeholder: "申请人代码", value: p.get("owner_code") || "" });
  const go = (e) => { e.preventDefault(); location.hash = "#/log/" + q({ owner_code: owner.value.trim().toUpperCase() }); };
  let results = h("p", {}, "谁在何时、为何查阅了该申请人的材料。Who used these documents.");
  if (p.get("owner_code")) {
    const data = await api("GET", "/api/v1/access-log?" + q({ owner_code: p.get("owner_code"), limit: 200 }));
    results = table(["时间", "人员", "角色", "操作", "材料", "办件", "用途"], data.items.map((e) => h("tr", {},
      h("td", {}, e.at.replace("T", " ").slice(0, 19)), h("td", {}, e.who), h("td", {}, zh("role", e.role)),
      h("td", {}, zh("action", e.action)), h("td", {}, desk.types[e.doc_type] || e.doc_type || "—"),
      h("td", {}, e.case_ref || "—"), h("td", {}, e.purpose || "—"))));
  }
  show(tok, section("查阅记录 Access log",
    h("form", { class: "filters", onsubmit: go }, h("label", {}, "申请人代码 ", owner), h("button", { id: "l-search" }, "查看 Show")), results));
};
