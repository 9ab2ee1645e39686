/* WealthDesk console: shared helpers, the dashboard, the client list and the fund page.
   Every number comes from /console/api (the services); this file only formats and draws. */
(function () {
  "use strict";
  const WD = window.WD;
  const t = WD.t;
  const zh = WD.lang === "zh";

  // ------------------------------------------------------------------ formatting
  const esc = (s) => String(s == null ? "" : s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  function yuan(v) {
    if (v == null || isNaN(v)) return "—";
    const a = Math.abs(v);
    if (zh) {
      if (a >= 1e8) return (v / 1e8).toFixed(2) + "亿";
      if (a >= 1e4) return (v / 1e4).toFixed(2) + "万";
      return v.toFixed(0);
    }
    return "¥" + Math.round(v).toLocaleString("en-US");
  }
  const pct = (v, d) => (v == null || isNaN(v) ? "—" : (v * 100).toFixed(d == null ? 2 : d) + "%");
  const signCls = (v) => (v == null ? "" : v < 0 ? "bad" : v > 0 ? "good" : "");
  const className = (k) => (t["class"] && t["class"][k]) || k;
  const ruleName = (k) => (t.rule && t.rule[k]) || k;
  const figure = (f) => (f.unit === "fraction" ? pct(f.figure, 1) : f.unit === "yuan" ? yuan(f.figure) : f.unit === "days" ? f.figure + (zh ? "天" : " d") : esc(f.figure));
  const asof = (d) => (d ? t.as_of + " " + d : "");

  // ------------------------------------------------------------------ data and states
  async function api(path, opts) {
    const r = await fetch(path, Object.assign({ credentials: "same-origin", headers: { Accept: "application/json" } }, opts || {}));
    if (r.status === 401) { location.href = "/login?next=" + encodeURIComponent(location.pathname); throw new Error(t.signin); }
    let body = null;
    try { body = await r.json(); } catch (e) { body = null; }
    if (!r.ok) {
      const err = new Error((body && body.message) || r.status + " " + r.statusText);
      err.hint = body && body.hint; err.status = r.status;
      throw err;
    }
    return body;
  }
  function post(path, payload) {
    return api(path, { method: "POST", body: JSON.stringify(payload || {}),
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": WD.csrf } });
  }
  function showError(el, err, retry) {
    el.innerHTML = '<div class="state-error" role="alert" data-testid="state-error"><b>' + esc(t.error) + ":</b> " + esc(err.message) +
      (err.hint ? '<br><span class="hint">' + esc(err.hint) + "</span>" : "") + (retry ? ' <button class="retry">' + esc(t.retry) + "</button>" : "") + "</div>";
    if (retry) el.querySelector(".retry").onclick = retry;
  }
  const empty = (msg) => '<p class="state-empty" data-testid="state-empty">' + esc(msg || t.empty) + "</p>";
  // Load one section: loading text, then render(data), or the error with what to do and a retry button.
  async function section(el, path, render) {
    const body = el.classList.contains("body") ? el : el.querySelector(".body") || el;
    body.innerHTML = '<p class="loading">' + esc(t.loading) + "</p>";
    try {
      const data = await api(path);
      const stamp = el.querySelector && el.querySelector("small.asof");
      if (stamp && data && data.as_of) stamp.textContent = asof(data.as_of);
      body.innerHTML = "";
      render(data, body);
      return data;
    } catch (err) {
      showError(body, err, () => section(el, path, render));
      return null;
    }
  }

  // ------------------------------------------------------------------ charts (Apache ECharts)
  const charts = {};
  function chart(id, option) {
    const el = document.getElementById(id);
    if (!el) return null;
    if (!window.echarts) { el.innerHTML = empty("charts library missing: run `make console-assets`"); return null; }
    let c = charts[id];
    if (!c) { c = window.echarts.init(el, null, { renderer: "canvas" }); charts[id] = c; }
    c.setOption(Object.assign({ animation: false, textStyle: { fontFamily: getComputedStyle(document.documentElement).fontFamily } }, option), true);
    el.dataset.drawn = "1";
    return c;
  }
  window.addEventListener("resize", () => Object.values(charts).forEach((c) => c.resize()));
  if (document.fonts) document.fonts.ready.then(() => Object.values(charts).forEach((c) => c.resize()));
  function donut(id, pairs, fmt) {
    return chart(id, {
      tooltip: { trigger: "item", valueFormatter: fmt || ((v) => pct(v)) },
      legend: { bottom: 0, type: "scroll" },
      series: [{ type: "pie", radius: ["45%", "70%"], center: ["50%", "44%"], label: { formatter: "{b}\n{d}%" },
        data: pairs.map(([name, value]) => ({ name, value })) }],
    });
  }
  function hbars(id, names, values, fmt, title) {
    return chart(id, {
      tooltip: { trigger: "axis", valueFormatter: fmt || ((v) => pct(v)) },
      // a fixed label gutter: containLabel measures the text before the CJK webfont has loaded and cuts names
      grid: { left: 92, right: 24, top: 10, bottom: 24, containLabel: false },
      xAxis: { type: "value", axisLabel: { formatter: (v) => (fmt ? fmt(v) : pct(v, 0)) } },
      yAxis: { type: "category", data: names, inverse: true, axisLabel: { width: 84, overflow: "truncate" } },
      series: [{ type: "bar", name: title || "", data: values, itemStyle: { color: "#2f6fb0" } }],
    });
  }

  // ------------------------------------------------------------------ dashboard
  WD.dashboard = function () {
    const totals = document.getElementById("totals");
    api("/console/api/dashboard/totals").then((d) => {
      document.getElementById("kpi-aum").textContent = yuan(d.aum);
      document.getElementById("kpi-count").textContent = d.client_count;
      document.getElementById("kpi-asof").textContent = d.as_of;
      totals.dataset.state = "ok";
      document.querySelector("#mix small.asof").textContent = asof(d.as_of);
      const pairs = Object.entries(d.by_asset_class).filter(([, v]) => v > 0).map(([k, v]) => [className(k), v]);
      if (pairs.length) donut("chart-book-mix", pairs, yuan); else document.getElementById("chart-book-mix").innerHTML = empty();
    }).catch((err) => { totals.dataset.state = "error"; showError(document.getElementById("kpi-aum").parentElement, err); });

    section(document.getElementById("todo"), "/console/api/dashboard/todo", (d, body) => {
      if (!d.total_findings) { body.innerHTML = empty(zh ? "今天没有待办：名下客户没有触发任何提示。" : "Nothing to do today: no alert for any client."); return; }
      body.innerHTML = '<p class="hint">' + esc(asof(d.as_of)) + " · " + d.clients_scanned + " " + esc(t.clients_scanned) + '</p><ul class="rule-list" data-testid="todo-list">' +
        d.rules.map((r) => '<li data-rule="' + r.rule + '"><button class="rule-head"><span>' + esc(ruleName(r.rule)) +
          '</span><span class="n' + (r.count ? "" : " zero") + '">' + r.count + '</span></button><ul class="rule-items" hidden></ul></li>').join("") + "</ul>";
      body.querySelectorAll(".rule-head").forEach((b) => (b.onclick = () => toggleRule(b.parentElement)));
    });
    const mat = document.getElementById("maturity");
    let cal = null, mode = "weeks";
    const drawCal = () => {
      const rows = cal[mode];
      const body = mat.querySelector(".body");
      if (!rows.length) { body.innerHTML = empty(t.no_maturity); document.getElementById("chart-maturity").style.display = "none"; return; }
      chart("chart-maturity", {
        tooltip: { trigger: "axis" }, legend: { top: 0 },
        grid: { left: 8, right: 8, top: 30, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: rows.map((r) => r.key) },
        yAxis: [{ type: "value", name: t.amount, axisLabel: { formatter: (v) => yuan(v) } }, { type: "value", name: t.count, minInterval: 1 }],
        series: [{ name: t.amount, type: "bar", data: rows.map((r) => r.amount), tooltip: { valueFormatter: yuan }, itemStyle: { color: "#b4212e" } },
          { name: t.count, type: "line", yAxisIndex: 1, data: rows.map((r) => r.count) }],
      });
      body.innerHTML = mode === "weeks" ? '<div class="scroll"><table><tr><th>' + esc(t.by_week) + '</th><th class="num">' + esc(t.count) + '</th><th class="num">' + esc(t.amount) + "</th><th>" + esc(t.clients) + "</th></tr>" +
        rows.map((r) => "<tr><td>" + r.key + '</td><td class="num">' + r.count + '</td><td class="num">' + yuan(r.amount) + "</td><td>" +
          r.items.map((i) => '<a href="/clients/' + esc(i.client_id) + '">' + esc(i.client_name) + "</a> " + esc(i.detail_date)).join("<br>") + "</td></tr>").join("") + "</table></div>" : "";
      if (!cal.complete) body.insertAdjacentHTML("afterbegin", '<p class="alert">' + esc(t.incomplete) + "</p>");
    };
    section(mat, "/console/api/dashboard/maturity", (d) => { cal = d; drawCal(); });
    mat.querySelectorAll(".tab").forEach((b) => (b.onclick = () => {
      mat.querySelectorAll(".tab").forEach((x) => x.classList.toggle("on", x === b)); mode = b.dataset.mode; if (cal) drawCal();
    }));
    section(document.getElementById("jobs"), "/console/api/dashboard/jobs", (d, body) => {
      if (!d.jobs.length) { body.innerHTML = empty(t.no_jobs); return; }
      body.innerHTML = '<div class="scroll"><table>' + d.jobs.map((j) => "<tr><td>" + esc(j.created_at.slice(0, 16).replace("T", " ")) + "</td><td>" +
        '<a href="/clients/' + esc(j.params.client_id || "") + '">' + esc(j.params.client_id || j.params.company || "") + "</a></td><td>" + esc((t.status || {})[j.status] || j.status) +
        "</td><td>" + (j.file_url ? '<a href="' + j.file_url + '">.docx</a>' : j.error ? '<span class="bad">' + esc(j.error.message) + "</span>" : "") + "</td></tr>").join("") + "</table></div>";
    });
  };
  async function toggleRule(li) {
    const list = li.querySelector(".rule-items");
    list.hidden = !list.hidden;
    if (list.hidden || list.dataset.loaded) return;
    await section(list, "/console/api/book/" + li.dataset.rule, (d, body) => {
      list.dataset.loaded = "1";
      body.innerHTML = d.findings.length ? d.findings.map((f) => '<li><a href="/clients/' + esc(f.client_id) + '">' + esc(f.client_name) + " " + esc(f.client_id) + "</a> · " +
        figure(f) + (f.product_code ? " · " + esc(f.product_code) : "") + (f.detail_date ? " · " + esc(f.detail_date) : "") + "</li>").join("") +
        (d.pages > 1 ? '<li class="hint">' + d.page_size + " / " + d.total_findings + ' — <a href="/clients?rule=' + li.dataset.rule + '">' + esc(t.clients) + " →</a></li>" : "") : empty();
    });
  }

  // ------------------------------------------------------------------ client list
  WD.clientList = function () {
    const form = document.getElementById("filters");
    const out = document.getElementById("client-list");
    const params = new URLSearchParams(location.search);
    ["q", "rule", "risk", "sort"].forEach((k) => { if (params.get(k)) form.elements[k].value = params.get(k); });
    let page = 1, timer = null;
    const load = () => {
      const q = new URLSearchParams({ q: form.q.value, rule: form.rule.value, risk: form.risk.value, sort: form.sort.value, page });
      history.replaceState(null, "", "/clients?" + q);
      section(out, "/console/api/clients?" + q, (d, body) => {
        if (!d.items.length) { body.innerHTML = empty(t.no_clients); return; }
        body.innerHTML = '<p class="hint">' + esc(asof(d.as_of)) + " · " + d.total + "</p>" + (d.complete ? "" : '<p class="alert">' + esc(t.incomplete) + "</p>") +
          '<div class="scroll"><table data-testid="client-table"><tr><th>' + esc(t.name) + "</th><th>" + esc(t.risk) + '</th><th class="num">' + esc(t.aum) + '</th><th class="num">' + esc(t.loss) + "</th><th>" + esc(t.rules) + "</th></tr>" +
          d.items.map((c) => '<tr><td><a href="/clients/' + esc(c.client_id) + '">' + esc(c.name) + "</a> <small class=hint>" + esc(c.client_id) + "</small></td><td>" + esc(c.risk_level) +
            '</td><td class="num">' + yuan(c.aum) + '</td><td class="num ' + signCls(c.loss) + '">' + (c.loss == null ? "" : pct(c.loss, 1)) + "</td><td>" +
            c.rules.map((r) => '<span class="chip">' + esc(ruleName(r)) + "</span>").join("") + "</td></tr>").join("") + "</table></div>" +
          '<div class="pager"><button ' + (d.page <= 1 ? "disabled" : "") + ' data-p="-1">' + esc(t.prev) + "</button> " + d.page + " / " + d.pages + ' <button ' + (d.page >= d.pages ? "disabled" : "") + ' data-p="1">' + esc(t.next) + "</button></div>";
        body.querySelectorAll(".pager button").forEach((b) => (b.onclick = () => { page += Number(b.dataset.p); load(); }));
      });
    };
    form.addEventListener("input", () => { clearTimeout(timer); page = 1; timer = setTimeout(load, 250); });
    load();
  };

  // ------------------------------------------------------------------ fund page
  WD.fundPage = function (code) {
    const box = document.getElementById("fund-series");
    const draw = (period) => section(box, "/console/api/funds/" + code + "/series?period=" + period, (d) => {
      chart("chart-nav", {
        tooltip: { trigger: "axis", valueFormatter: (v) => (v == null ? "—" : v.toFixed(4)) }, legend: { top: 0 },
        grid: { left: 8, right: 12, top: 30, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: d.dates }, yAxis: { type: "value", scale: true },
        series: [{ name: d.name, type: "line", showSymbol: false, data: d.fund }, { name: d.benchmark_name, type: "line", showSymbol: false, data: d.bench }],
      });
      chart("chart-drawdown", {
        tooltip: { trigger: "axis", valueFormatter: (v) => pct(v) }, grid: { left: 8, right: 12, top: 10, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: d.dates }, yAxis: { type: "value", axisLabel: { formatter: (v) => pct(v, 0) } },
        series: [{ name: t.drawdown, type: "line", showSymbol: false, areaStyle: { opacity: 0.3 }, itemStyle: { color: "#c0392b" }, data: d.drawdown }],
      });
    });
    box.querySelectorAll(".tab").forEach((b) => (b.onclick = () => { box.querySelectorAll(".tab").forEach((x) => x.classList.toggle("on", x === b)); draw(b.dataset.period); }));
    draw("1y");
    section(document.getElementById("fund-metrics"), "/console/api/funds/" + code + "/metrics", (d, body) => {
      body.innerHTML = '<div class="scroll"><table data-testid="fund-metrics"><tr><th>' + esc(t.period) + '</th><th class="num">' + esc(t.total_return) + '</th><th class="num">' + esc(t.annual_return) +
        '</th><th class="num">' + esc(t.max_drawdown) + '</th><th class="num">' + esc(t.volatility) + '</th><th class="num">' + esc(t.sharpe) + "</th><th></th></tr>" +
        d.periods.map((p) => p.error ? "<tr><td>" + esc(t.period_name[p.period] || p.period) + '</td><td colspan="6" class="hint">' + esc(p.message) + "</td></tr>" :
          "<tr><td>" + esc(t.period_name[p.period] || p.period) + '</td><td class="num ' + signCls(p.metrics.total_return) + '">' + pct(p.metrics.total_return) + '</td><td class="num">' + pct(p.metrics.annual_return) +
          '</td><td class="num bad">' + pct(p.metrics.max_drawdown) + '</td><td class="num">' + pct(p.metrics.annual_volatility) + '</td><td class="num">' + (p.metrics.sharpe_ratio == null ? "—" : p.metrics.sharpe_ratio.toFixed(2)) +
          '</td><td class="hint">' + esc(p.metrics.start) + " → " + esc(p.metrics.end) + (p.history_shorter_than_period ? " *" : "") + "</td></tr>").join("") + "</table></div>";
    });
    section(document.getElementById("fund-holdings"), "/console/api/funds/" + code + "/holdings", (d) => {
      const tbl = document.getElementById("fund-holdings-table");
      if (d.industries.length) hbars("chart-fund-industries", d.industries.slice(0, 12).map((i) => i.name), d.industries.slice(0, 12).map((i) => i.weight), null, t.weight);
      else document.getElementById("chart-fund-industries").innerHTML = empty();
      tbl.innerHTML = '<p class="hint">' + esc(zh ? d.coverage_note_zh : d.coverage_note_en) + " · " + esc(t.disclosure) + " " + esc(d.published_on || d.report_date || "—") + "</p>" +
        (d.holdings.length ? '<div class="scroll"><table><tr><th>' + esc(t.security) + "</th><th>" + esc(t.industry) + '</th><th class="num">' + esc(t.weight) + "</th></tr>" +
          d.holdings.slice(0, 15).map((h) => "<tr><td>" + esc(h.name) + " <small class=hint>" + esc(h.security_id) + "</small></td><td>" + esc(h.industry || h.kind) + '</td><td class="num">' + pct(h.weight) + "</td></tr>").join("") + "</table></div>" : empty());
    });
  };

  Object.assign(WD, { api, post, esc, yuan, pct, signCls, className, ruleName, figure, asof, chart, donut, hbars, section, showError, empty });
})();
