// One case: materials with thumbnails, uploads with live OCR progress, the form beside the scan,
// checks with what to do, notices and the decisions this key's role may take now.
"use strict";

const HINTS = {
  form_required_empty: "在上方申请表中填写该项并点「全部保存」。", form_value_invalid: "核对该值（号码、日期、电话）后在申请表中更正。",
  identifier_invalid: "核对证件号码后在申请表中更正。", form_conflict: "两份材料的值不一致：选定正确的值后点「以此为准」。",
  check_mismatch: "证件校验位不符：核对原件，退回并请申请人重新提交。", doc_type_mismatch: "上传的文件不是该项材料：退回后上传正确的材料。",
  holder_mismatch: "材料持有人与申请人不符：退回并请申请人提交本人的材料。", person_mismatch: "身份证与申请表中的人员不符：核对后退回或更正。",
  person_not_named: "材料上未写明该人员：请申请人补充。", document_expired: "证件已过期：退回并请申请人提交有效证件。",
  document_too_old: "材料出具时间过久：请申请人提交近期材料。", lease_ended: "租赁合同已到期：请申请人提交有效合同。",
  lease_tenant_mismatch: "租赁合同的承租方不是申请人：退回并请申请人提交本人的租赁合同。",
  validity_unreadable: "读不出有效期：核对原件并在申请表中填写。",
};
const hintFor = (code) => HINTS[code] || "核对材料；确有理由可由审批人员说明理由后放行。";

function thumb(docId, width, page) {
  const img = h("img", { class: width > 200 ? "preview-img" : "thumb", alt: "页面预览", "data-doc": docId });
  blobUrl(`/api/v1/documents/${enc(docId)}/pages/${page || 1}?width=${width}`).then((u) => { img.src = u; }).catch(() => { img.alt = "无法预览"; });
  return img;
}

// The scan beside the form; with ``at`` (a field's OCR page and box, fractions of the page) the box the
// value was read from is outlined over the page image (positioned in %, so it follows the image's size).
function showPreview(docId, title, at) {
  const pane = document.getElementById("scan");
  if (!pane) return;
  const sheet = h("div", { class: "sheet" }, thumb(docId, 1000, at && at.page));
  if (at && at.box) {
    const [x0, y0, x1, y1] = at.box;
    const mark = h("div", { class: "hl", id: "scan-highlight", title: at.label || "" });
    Object.assign(mark.style, { left: `${x0 * 100}%`, top: `${y0 * 100}%`, width: `${(x1 - x0) * 100}%`, height: `${(y1 - y0) * 100}%` });
    sheet.append(mark);
  }
  pane.replaceChildren(h("h4", {}, title || "原件预览"), sheet);
  if (at && at.box) pane.scrollIntoView({ block: "nearest" });
}

function docCard(d, caseId, withOwner) {
  return h("figure", { class: "doc", "data-doc": d.id, onclick: () => showPreview(d.id, desk.types[d.doc_type] || d.doc_type) },
    thumb(d.id, 160), h("figcaption", {}, desk.types[d.doc_type] || d.doc_type, h("br"), h("small", {}, d.filename || d.id)),
    caseId ? "" : h("small", {}, d.created_at.slice(0, 10)), withOwner ? h("small", { class: "owner" }, h("br"), d.owner_code) : "",
    withOwner && d.case_ref ? h("small", {}, h("br"), h("a", { href: `#/case/${enc(d.case_ref)}` }, d.case_ref)) : "");
}

// Poll the document's OCR job until it ends, showing pages done / total.
async function followOcr(docId, line) {
  for (let i = 0; i < 600; i += 1) {
    const r = await api("GET", `/api/v1/documents/${enc(docId)}/ocr`, null, { withStatus: true, accept: [404, 422], quiet: true });
    const job = r.body.job;
    if (r.status === 404) { line.textContent = "未识别（OCR 未开启）"; return null; }
    if (job) {
      const p = job.progress || {};
      line.textContent = `${zh("job", job.state)} ${p.pages_done ?? 0}/${p.pages_total ?? "?"} 页`;
      if (job.state === "failed") { line.textContent += ` · ${(job.error && job.error.message) || ""}`; return null; }
    }
    if (r.status === 200) { return r.body.result; }
    await new Promise((ok) => setTimeout(ok, 700));
  }
  return null;
}

async function uploadOne(c, file, docType, materialId, list) {
  const line = h("span", { class: "progress" }, "上传中…");
  const row = h("li", { class: "upload" }, h("b", {}, file.name), " ", line);
  list.append(row);
  const form = new FormData();
  form.append("file", file); form.append("owner_code", c.owner_code);
  form.append("doc_type", docType); form.append("case_ref", c.id);
  try {
    const doc = await api("POST", "/api/v1/documents", form);
    line.textContent = "已上传，等待识别…";
    const result = await followOcr(doc.id, line);
    const detected = result && result.doc_type;
    row.append(" · ", h("span", { class: "doctype" }, `类型：${desk.types[detected || docType] || detected || docType}`));
    const path = materialId ? `materials/${enc(materialId)}` : "documents";
    await api("POST", `/api/v1/cases/${enc(c.id)}/${path}`, { doc_id: doc.id });
    row.classList.add("ok"); row.prepend(thumb(doc.id, 160));
    return true;
  } catch (e) {
    row.classList.add("failed"); line.textContent = e.message; return false;
  }
}

// Many files at once (file input or drag and drop): each gets a type, guessed in checklist order
// from the materials still missing; the clerk may change it, then all are sent one after another.
function uploadZone(c, refresh) {
  const open = c.materials.filter((m) => ["missing", "rejected"].includes(m.status));
  const types = [...new Set(c.materials.flatMap((m) => m.doc_types))];
  const input = h("input", { type: "file", id: "upload-files", multiple: true, accept: "application/pdf,image/*" });
  const pending = h("ul", { id: "upload-pending" });
  const list = h("ul", { id: "upload-list" });
  let queue = [];
  const add = (files) => {
    for (const f of files) {
      const guess = open[queue.length] ? open[queue.length].doc_types[0] : types[0];
      const type = h("select", { class: "upload-type" }, types.map((t) => h("option", { value: t, selected: t === guess }, desk.types[t] || t)));
      queue.push({ file: f, type });
      pending.append(h("li", {}, h("b", {}, f.name), ` ${(f.size / 1024).toFixed(0)} KB · 类型 `, type));
    }
    send.disabled = !queue.length; send.textContent = `上传 ${queue.length} 份 Upload`;
  };
  const send = h("button", { id: "upload-send", disabled: true, onclick: async () => {
    const items = queue; queue = []; pending.replaceChildren(); send.disabled = true;
    let ok = 0;
    for (const it of items) ok += (await uploadOne(c, it.file, it.type.value, null, list)) ? 1 : 0;
    if (ok) { toast(`已收 ${ok} 份材料`); setTimeout(refresh, 800); }
  } }, "上传 Upload");
  input.addEventListener("change", () => { add([...input.files]); input.value = ""; });
  const zone = h("div", { class: "dropzone", id: "dropzone" }, "把文件拖到这里，或选择文件（可多选） ", input);
  zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (e) => { e.preventDefault(); zone.classList.remove("over"); add([...e.dataTransfer.files]); });
  return h("div", {}, zone, pending, send, list);
}

function materialRow(c, m, refresh) {
  const file = h("input", { type: "file", class: "m-file", accept: "application/pdf,image/*" });
  const list = h("ul", { class: "m-list" });
  const upload = async () => {
    if (!file.files.length) { toast("请选择文件 Choose a file"); return; }
    if (await uploadOne(c, file.files[0], m.doc_types[0] || "other", m.material_id, list)) refresh();
  };
  const reject = confirmThen(`退回「${m.name}」？`, async () => {
    await api("POST", `/api/v1/cases/${enc(c.id)}/materials/${enc(m.material_id)}/reject`, { reason: "窗口人员退回" });
    refresh();
  });
  const work = c.allowed_actions.includes("attach_document");
  const checks = m.checks && m.checks.state !== "passed"
    ? h("span", { class: `checks ${m.checks.state}` }, ` 四性检测${zh("check", m.checks.state)}`) : "";
  return h("tr", { "data-material": m.material_id },
    h("td", {}, m.doc_id ? h("span", { class: "thumbwrap", onclick: () => showPreview(m.doc_id, m.name) }, thumb(m.doc_id, 160)) : ""),
    h("td", { class: m.kind === "main" ? "main" : "" }, m.name, h("br"), h("small", {}, zh("kind", m.kind), " · ", m.standard || "")),
    h("td", {}, h("span", { class: `badge ${m.status}` }, zh("material", m.status)),
      m.reused_from_case ? h("small", {}, ` 复用自 ${m.reused_from_case}`) : "", checks),
    h("td", {}, work && ["provided", "reused"].includes(m.status) && c.allowed_actions.includes("reject_material")
      ? h("button", { class: "m-reject", onclick: reject }, "退回") : "",
    work && ["missing", "rejected"].includes(m.status) ? [file, h("button", { class: "m-upload", onclick: upload }, "上传"), list] : ""));
}

// The document candidate the shown value came from (else the first one read from a document).
const docCandidate = (f) => (f.candidates || []).find((x) => x.value === f.value && x.doc_id) || (f.candidates || []).find((x) => x.doc_id);

function sourceName(c, f) {
  if (!f.value) return "待填写";
  const cand = docCandidate(f);
  if (cand && ["ocr", "archive"].includes(f.source)) {
    const m = c.materials.find((x) => x.doc_id === cand.doc_id);
    const where = m ? m.name : desk.types[cand.doc_type] || cand.doc_type;
    return `${f.source === "archive" ? "已归档的" : ""}${where}（${cand.label || cand.field}${cand.page ? `，第 ${cand.page} 页` : ""}）`;
  }
  return { case: "办件登记", clerk: "窗口填写", ocr: "识别", archive: "档案" }[f.source] || f.source || "窗口填写";
}

async function formSection(c, refresh) {
  const form = await api("GET", `/api/v1/cases/${enc(c.id)}/form`);
  const editable = c.allowed_actions.includes("edit_form");
  const rows = form.fields.map((f) => {
    const input = h("input", { value: f.value ?? "", name: f.name, disabled: !editable });
    const save = async () => { await api("PUT", `/api/v1/cases/${enc(c.id)}/form`, { values: { [f.name]: input.value } }); refresh(); };
    const resolve = async () => { await api("POST", `/api/v1/cases/${enc(c.id)}/form/${enc(f.name)}/resolve`, { value: input.value }); refresh(); };
    const conflict = f.conflict && !f.resolved;
    const cand = docCandidate(f);
    const src = h("small", { class: "source" }, "来源：", sourceName(c, f));
    if (cand) {
      src.classList.add("link"); if (cand.box) src.dataset.box = cand.box.join(",");
      src.addEventListener("click", () => showPreview(cand.doc_id, sourceName(c, f), { page: cand.page, box: cand.box, label: cand.label }));
    }
    return h("tr", { class: conflict ? "conflict" : "", "data-field": f.name },
      h("td", {}, f.label || f.name, f.required ? " *" : ""), h("td", {}, input, h("br"), src,
        conflict ? h("small", { class: "warn" }, h("br"), "不一致：", (f.candidates || []).map((s) => `${s.value}`).join(" / ")) : "",
        f.valid === false ? h("small", { class: "warn" }, h("br"), `校验失败：${f.check_reason || ""}`) : ""),
      h("td", {}, editable ? (conflict ? h("button", { onclick: resolve }, "以此为准") : h("button", { class: "f-save", onclick: save }, "保存")) : ""));
  });
  const saveAll = async () => {
    const values = {};
    for (const f of form.fields) {
      const el = rows.map((r) => r.querySelector(`input[name="${f.name}"]`)).find(Boolean);
      if (el && el.value !== (f.value ?? "")) values[f.name] = el.value;
    }
    if (!Object.keys(values).length) { toast("没有改动"); return; }
    await api("PUT", `/api/v1/cases/${enc(c.id)}/form`, { values });
    refresh();
  };
  return h("div", { class: "form" }, h("h3", {}, "申请表 Form"), table(["字段", "值与来源", ""], rows),
    editable ? h("button", { id: "form-save-all", onclick: saveAll }, "全部保存 Save all") : "");
}

function checksSection(c, refresh) {
  const open = (c.checks || []).filter((f) => !f.overridden);
  if (!(c.checks || []).length) return section("核验 Checks", h("p", { class: "ok" }, "✓ 没有需要处理的问题"));
  return section("核验 Checks", h("ul", { id: "checks" }, c.checks.map((f) => h("li", { class: f.overridden ? "overridden" : f.severity, "data-code": f.code },
    h("b", {}, `[${zh("severity", f.severity)}] `), f.message_zh, h("br"),
    f.overridden ? h("small", {}, `已放行：${f.override.reason}（${f.override.by}）`) : h("small", {}, "怎么办：", hintFor(f.code)),
    !f.overridden && f.severity === "blocking" && c.allowed_actions.includes("override_check")
      ? h("button", { class: "override", onclick: async () => {
        const reason = window.prompt("放行理由（将记录在案）");
        if (!reason) return;
        await api("POST", `/api/v1/cases/${enc(c.id)}/checks/override`, { code: f.code, material_id: f.material_id, doc_id: f.doc_id, field: f.field, reason });
        refresh();
      } }, "说明理由后放行") : ""))),
  open.length ? h("p", { class: "warn" }, `还有 ${open.filter((f) => f.severity === "blocking").length} 项须处理后才能受理或批准`) : "");
}

const DECISIONS = [
  ["issue_notice", "notice", "出具一次性告知书", "出具一次性告知书，告知全部缺少的材料？"],
  ["accept", "accept", "受理", "确认受理本办件？"],
  ["accept_with_deficiency", "accept-with-deficiency", "容缺受理", "主件齐全，确认容缺受理并出具容缺受理通知书？"],
  ["approve", "approve", "批准", "确认批准本办件？"],
  ["reject", "reject", "不予许可", null],
  ["withdraw", "withdraw", "撤回", "确认撤回本办件？"],
];

function decisionSection(c, refresh) {
  const d = c.decision || {};
  const buttons = DECISIONS.filter(([a]) => c.allowed_actions.includes(a)).map(([a, path, label, ask]) =>
    h("button", { class: `act act-${a}`, "data-action": a, onclick: async () => {
      let body = {};
      if (a === "reject") {
        const reason = window.prompt("不予许可的理由（将写入决定书）");
        if (!reason) return;
        body = { reason };
      } else if (!window.confirm(ask)) return;
      const out = await api("POST", `/api/v1/cases/${enc(c.id)}/${path}`, body);
      toast(`${label}：${(out.case || out).state_zh}`);
      refresh();
    } }, label));
  return section("决定 Decision",
    h("p", {}, `${zh("outcome", d.outcome)}；缺主件 ${(d.missing_main || []).length} 项，缺次要材料 ${(d.missing_secondary || []).length} 项`,
      d.deadline ? `；补正期限 ${d.deadline}` : ""),
    buttons.length ? h("div", { id: "decisions" }, buttons) : h("p", { id: "no-decisions" }, "本角色在此状态下无可用操作"));
}

function noticesSection(c) {
  if (!(c.notices || []).length) return "";
  return section("告知书 Notices", h("ul", { id: "notices" }, c.notices.map((n) => h("li", {}, `${n.number} · ${zh("notice", n.kind)} `,
    h("button", { onclick: async () => window.open(await blobUrl(`/api/v1/cases/${enc(c.id)}/notices/${enc(n.id)}/pdf`), "_blank") }, "打印 PDF")))));
}

desk.pages.case = async (id) => {
  const tok = desk.token;
  const started = performance.now();
  const refresh = () => desk.pages.case(id);
  const c = await api("GET", `/api/v1/cases/${enc(id)}`);
  const work = c.allowed_actions.includes("attach_document");
  const scan = h("div", { id: "scan", class: "scan" }, h("p", {}, "点击材料或字段来源查看原件。"));
  const head = h("section", {}, h("h2", {}, `${c.matter_name} · ${c.id}`),
    h("p", {}, `${c.applicant_name || ""} ${c.owner_code} · `, h("span", { id: "case-state", class: `state ${c.state}` }, c.state_zh),
      ` · 收件 ${c.received_on || "—"} · 承诺办结 ${c.committed_due || "—"}`),
    c.warnings.map((w) => h("p", { class: "warn" }, w.message_zh)));
  const materials = section("材料 Materials", work ? uploadZone(c, refresh) : "",
    table(["", "材料", "状态", ""], c.materials.map((m) => materialRow(c, m, refresh))));
  const [formPart, docs] = await Promise.all([formSection(c, refresh),
    api("GET", "/api/v1/documents?" + q({ owner_code: c.owner_code, limit: 200 }))]);
  const mine = docs.items.filter((d) => d.case_ref === c.id);
  const received = section(`本办件收到的文件 Documents (${mine.length})`, h("div", { class: "docgrid", id: "case-docs" }, mine.map((d) => docCard(d, c.id))));
  const parts = [head, materials, h("section", { class: "side" }, formPart, scan), received,
    checksSection(c, refresh), decisionSection(c, refresh), noticesSection(c)];
  if (desk.afterDecision) parts.push(...(await desk.afterDecision(c, refresh)));
  show(tok, ...parts);
  if (tok !== desk.token) return;
  desk.lastCaseMs = performance.now() - started;
  document.body.dataset.caseReady = c.id;
};
