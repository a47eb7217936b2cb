// After the decision: the licence from the case, delivery and labels; the courier's scan screen;
// the KPI page with its charts (SVG drawn here, no library).
"use strict";

const DRAFT_LABELS = { permits: "许可项目", validity: "有效期" };
const DRAFT_FROM = { form: "申请表", case: "办件登记", given: "审批填写", matter: "事项" };
const draftSource = (src) => { const [kind, ...rest] = String(src).split(":"); return DRAFT_FROM[kind] ? DRAFT_FROM[kind] + (rest.length ? `（${rest.join(":")}）` : "") : src; };

// The licence type comes from the matter (GET /api/v1/matters: licence_type); its labels from the draft.
async function licenceSection(c, refresh) {
  const matter = (await matters()).find((m) => m.id === c.matter_id);
  const type = (matter && matter.licence_type) || "";
  if (!type) return section("签发证照 Issue the licence", h("p", { class: "warn", id: "no-licence-type" }, "本事项未配置证照类型，不能从办件签发证照。"));
  const draft = await api("GET", "/api/v1/licences/draft?" + q({ case_id: c.id, type }));
  const labels = draft.labels || {};
  const inputs = {};
  const rows = [...Object.entries(draft.data).map(([k, v]) => [k, v, draft.sources[k]]), ...draft.missing.map((k) => [k, "", null])]
    .map(([k, v, src]) => {
      inputs[k] = h("input", { name: k, value: typeof v === "string" ? v : JSON.stringify(v), "aria-label": labels[k] || k });
      return h("tr", { "data-key": k }, h("td", { class: "label" }, labels[k] || DRAFT_LABELS[k] || k, h("br"), h("small", { class: "key" }, k)),
        h("td", {}, inputs[k]), h("td", {}, h("small", {}, src ? `来源：${draftSource(src)}` : "须填写")));
    });
  const format = h("select", { id: "licence-format" }, h("option", { value: "pdf" }, "PDF（电子签章）"), h("option", { value: "ofd" }, "OFD（SM2 签章）"));
  const issue = confirmThen("确认签发证照？签发后不能修改，只能注销或换发。", async () => {
    const data = Object.fromEntries(Object.entries(inputs).map(([k, el]) => [k, el.value]).filter(([, v]) => v !== ""));
    const lic = await api("POST", "/api/v1/licences", { type, case_id: c.id, data, format: format.value });
    toast(`已签发 ${lic.number}`);
    refresh();
  });
  return section("签发证照 Issue the licence", h("p", {}, `发证机关：${draft.authority.name}`),
    draft.warnings.map((w) => h("p", { class: "warn" }, w.message_zh || w)),
    table(["项目", "内容", ""], rows), h("label", {}, "格式 ", format), h("button", { id: "issue-licence", onclick: issue }, "签发 Issue"));
}

async function licencesOf(c) {
  const list = await api("GET", "/api/v1/licences?" + q({ case_id: c.id }));
  if (!list.length) return "";
  return section("证照 Licence", h("ul", { id: "licences" }, list.map((l) => h("li", {}, `${l.name} ${l.number} · 有效期至 ${l.valid_until || "长期"} `,
    h("button", { class: "licence-download", onclick: async () => {
      const blob = await api("GET", `/api/v1/licences/${enc(l.identifier)}/content`, null, { raw: true });
      download(blob, `licence-${l.number}.${blob.type.includes("ofd") ? "ofd" : "pdf"}`);
    } }, "下载 Download"),
    h("button", { class: "licence-preview", onclick: async () => window.open(await blobUrl(`/api/v1/licences/${enc(l.identifier)}/content`), "_blank") }, "预览")))));
}

function labelButton(p, fmt) {
  return h("button", { class: `label-${fmt}`, onclick: async () => {
    const blob = await api("GET", `/api/v1/parcels/${enc(p.waybill)}/label?format=${fmt}`, null, { raw: true });
    if (fmt === "pdf") window.open(URL.createObjectURL(blob), "_blank"); else download(blob, `${p.waybill}.zpl`);
  } }, fmt === "pdf" ? "打印面单 PDF" : "面单 ZPL");
}

async function deliverySection(c, refresh) {
  let order = null;
  try { order = await api("GET", `/api/v1/cases/${enc(c.id)}/delivery`, null, { quiet: true }); } catch (e) { if (e.status !== 404) throw e; }
  const method = h("select", { id: "delivery-method" }, Object.entries(ZH.method).map(([k, v]) => h("option", { value: k }, v)));
  const name = h("input", { id: "r-name", placeholder: "收件人", value: c.applicant_name || "" });
  const phone = h("input", { id: "r-phone", placeholder: "电话", value: c.contact_phone || "" });
  const addr = h("input", { id: "r-address", placeholder: "地址" });
  const save = async () => {
    const body = { method: method.value };
    if (method.value === "courier") body.recipient = { name: name.value, phone: phone.value, address: addr.value };
    await api("POST", `/api/v1/cases/${enc(c.id)}/delivery`, body);
    refresh();
  };
  const current = order ? h("div", { id: "delivery" }, h("p", {}, `送达方式：${zh("method", order.method)}`),
    order.parcels.map((p) => h("p", { class: "parcel", "data-waybill": p.waybill }, `运单 ${p.waybill} · ${zh("parcel", p.state)} · ${p.recipient.name} `,
      labelButton(p, "pdf"), labelButton(p, "zpl")))) : "";
  return section("送达 Delivery", current, c.state === "issued" ? h("div", { class: "filters" },
    h("label", {}, "方式 ", method), h("label", {}, "收件人 ", name), h("label", {}, "电话 ", phone), h("label", {}, "地址 ", addr),
    h("button", { id: "delivery-save", onclick: save }, "确定送达方式")) : "");
}

desk.afterDecision = async (c, refresh) => {
  const out = [];
  if (c.allowed_actions.includes("issue_licence")) out.push(await licenceSection(c, refresh));
  if (["issued", "delivered"].includes(c.state)) {
    out.push(await licencesOf(c));
    if (may("delivery.manage")) out.push(await deliverySection(c, refresh));
  }
  return out;
};

desk.pages.courier = async () => {
  const tok = desk.token;
  const data = await api("GET", "/api/v1/parcels");
  const waybill = h("input", { id: "scan-waybill", placeholder: "扫描或输入运单号", autocomplete: "off", inputmode: "numeric" });
  const result = h("p", { id: "scan-result", role: "status" }, "");
  const scan = (event) => async () => {
    const r = await api("POST", `/api/v1/parcels/${enc(waybill.value.trim())}/scan`, { event });
    result.textContent = `${r.parcel.waybill}：${zh("parcel", r.parcel.state)}${r.changed ? "" : "（重复扫描，未变化）"}`;
    waybill.value = ""; waybill.focus();
    // Refresh the list; the clerk may have left the page meanwhile (then there is nothing to refresh).
    const keep = (shown) => { if (shown) shown.textContent = result.textContent; };
    if (tok === desk.token) setTimeout(() => tok === desk.token && desk.pages.courier().then(() => keep(document.getElementById("scan-result"))), 300);
  };
  const buttons = may("parcel.scan") ? h("div", { class: "scanbuttons" },
    h("button", { id: "scan-pickup", onclick: scan("picked_up") }, "揽收"), h("button", { id: "scan-deliver", onclick: scan("delivered") }, "妥投"),
    h("button", { id: "scan-return", onclick: scan("returned") }, "退回")) : "";
  show(tok, h("section", { class: "courier" }, h("h2", {}, "快递扫描 Courier"), waybill, buttons, result,
    h("ul", { id: "parcels" }, data.items.map((p) => h("li", { "data-waybill": p.waybill, onclick: () => { waybill.value = p.waybill; } },
      h("b", {}, p.waybill), ` ${zh("parcel", p.state)} · ${p.recipient.name} ${p.recipient.phone}`, h("br"), h("small", {}, p.recipient.address))))));
};

// -- KPIs ------------------------------------------------------------------------------------------
const SVG = "http://www.w3.org/2000/svg";
function svg(tag, attrs, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
}

function barChart(title, bars, unit) {
  const w = 520, rowH = 26, left = 190;
  const max = Math.max(1, ...bars.map((b) => b.value || 0));
  const chart = svg("svg", { viewBox: `0 0 ${w} ${bars.length * rowH + 10}`, class: "chart", role: "img", "aria-label": title });
  bars.forEach((b, i) => {
    const y = i * rowH + 5, len = ((b.value || 0) / max) * (w - left - 70);
    chart.append(svg("text", { x: left - 6, y: y + 16, "text-anchor": "end", class: "lbl" }, b.label),
      svg("rect", { x: left, y: y + 3, width: Math.max(len, 1), height: rowH - 8, class: "bar" }),
      svg("text", { x: left + len + 6, y: y + 16, class: "val" }, b.value == null ? "—" : `${b.value}${unit}`));
  });
  return h("figure", { class: "kpi" }, h("figcaption", {}, title), chart);
}

const pct = (s) => (s == null ? null : Number(String(s).replace("%", "")));

// 材料免提交率 (materials satisfied without a copy / satisfied) by month comes from one call over the six
// months (reuse_by_month), by matter from reuse_by_matter; 材料瘦身率 is the catalog's (fewer materials asked).
desk.pages.kpi = async () => {
  const tok = desk.token;
  const today = new Date();
  const months = [];
  for (let i = 5; i >= 0; i -= 1) {
    const d = new Date(today.getFullYear(), today.getMonth() - i, 1);
    const end = new Date(d.getFullYear(), d.getMonth() + 1, 0);
    const iso = (x) => `${x.getFullYear()}-${String(x.getMonth() + 1).padStart(2, "0")}-${String(x.getDate()).padStart(2, "0")}`;
    months.push({ label: iso(d).slice(0, 7), from: iso(d), to: iso(end) });
  }
  const [byMonth, all, whole] = await Promise.all([
    Promise.all(months.map((m) => api("GET", "/api/v1/metrics?" + q({ from: m.from, to: m.to })))), matters(),
    api("GET", "/api/v1/metrics?" + q({ from: months[0].from, to: months[months.length - 1].to }))]);
  const byMatter = await Promise.all(all.map((m) => api("GET", "/api/v1/metrics?" + q({ matter: m.id }))));
  const charts = (rows, labels) => [
    barChart("即办件率", rows.map((r, i) => ({ label: labels[i], value: pct(r.immediate_share) })), "%"),
    barChart("提前办结率", rows.map((r, i) => ({ label: labels[i], value: pct(r.early_rate) })), "%"),
    barChart("平均办理时限（工作日）", rows.map((r, i) => ({ label: labels[i], value: r.average_days == null ? null : Number(r.average_days) })), " 天"),
  ];
  const monthReuse = Object.fromEntries((whole.reuse_by_month || []).map((r) => [r.month, r]));
  const noCopyByMonth = barChart("材料免提交率（按月）", months.map((m) => ({ label: m.label, value: pct((monthReuse[m.label] || {}).no_copy_rate) })), "%");
  const matterReuse = (r) => (r.reuse_by_matter || [])[0] || {};
  const noCopyByMatter = barChart("材料免提交率（按事项）", all.map((m, i) => ({ label: m.name, value: pct(matterReuse(byMatter[i]).no_copy_rate) })), "%");
  const slimming = barChart("材料瘦身率（按事项，目录）", all.map((m) => ({ label: m.name, value: pct(m.material_reduction) })), "%");
  const reuseNote = (r) => (r && r.satisfied ? `${r.reused} / ${r.satisfied} 项材料免提交` : "无已收材料");
  show(tok,
    section("按月 By month", h("div", { class: "charts", id: "kpi-months" }, charts(byMonth, months.map((m) => m.label)), noCopyByMonth),
      h("p", { id: "kpi-reuse-total" }, `近六个月：${reuseNote(whole.reuse)}（材料免提交率 ${(whole.reuse && whole.reuse.no_copy_rate) || "—"}）`)),
    section("按事项 By matter", h("div", { class: "charts", id: "kpi-matters" }, charts(byMatter, all.map((m) => m.name)), noCopyByMatter, slimming),
      h("p", {}, `合计 ${byMatter.reduce((s, r) => s + r.total, 0)} 件`)));
};
