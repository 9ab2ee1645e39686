/* WealthDesk console: the client page (sections, proposal job, copilot pane). Needs app.js first. */
(function () {
  "use strict";
  const WD = window.WD;
  const t = WD.t;
  const zh = WD.lang === "zh";
  const { api, post, esc, yuan, pct, signCls, className, section, chart, donut, hbars, empty, showError } = WD;

  WD.clientPage = function (cid) {
    const base = "/console/api/clients/" + encodeURIComponent(cid) + "/";
    // -------------------------------------------------------------- holdings and P&L by period
    const perf = document.getElementById("performance");
    const drawPerf = (period) => section(perf, base + "performance?period=" + period, (d, body) => {
      body.innerHTML = '<div class="kpis"><div class="kpi"><span class="label">' + esc(t.gain) + '</span><b class="' + signCls(d.gain) + '">' + yuan(d.gain) + "</b></div>" +
        '<div class="kpi"><span class="label">' + esc(t.twr) + '</span><b class="' + signCls(d.twr) + '">' + pct(d.twr) + "</b></div>" +
        '<div class="kpi"><span class="label">' + esc(t.xirr) + "</span><b>" + pct(d.xirr) + "</b></div>" +
        '<div class="kpi"><span class="label">' + esc(t.market_value) + "</span><b>" + yuan(d.market_value) + "</b></div></div>" +
        '<p class="hint">' + esc(d.start || "—") + " → " + esc(d.end) + "</p>" +
        (d.positions.length ? '<div class="scroll"><table data-testid="positions"><tr><th>' + esc(t.name) + '</th><th class="num">' + esc(t.market_value) + '</th><th class="num">' + esc(t.invested) +
          '</th><th class="num">' + esc(t.gain) + '</th><th class="num">' + esc(t.xirr) + "</th></tr>" +
          d.positions.map((p) => "<tr><td>" + (p.kind === "fund" ? '<a href="/funds/' + esc(p.product_code) + '">' + esc(p.name || p.product_code) + "</a>" : esc(p.name || p.product_code)) +
            ' <small class="hint">' + esc(p.product_code) + '</small></td><td class="num">' + yuan(p.market_value) + '</td><td class="num">' + yuan(p.invested) +
            '</td><td class="num ' + signCls(p.gain) + '">' + yuan(p.gain) + '</td><td class="num">' + pct(p.xirr) + "</td></tr>").join("") + "</table></div>" : empty());
    });
    perf.querySelectorAll(".tab").forEach((b) => (b.onclick = () => { perf.querySelectorAll(".tab").forEach((x) => x.classList.toggle("on", x === b)); drawPerf(b.dataset.period); }));
    drawPerf("since_purchase");

    // -------------------------------------------------------------- look-through
    const look = document.getElementById("lookthrough");
    section(look, base + "lookthrough", (d) => {
      donut("chart-classes", Object.entries(d.asset_classes).filter(([, v]) => v > 0).map(([k, v]) => [className(k), v]));
      const ind = d.industries.slice(0, 10);
      if (ind.length) hbars("chart-industries", ind.map((i) => i.name), ind.map((i) => i.weight), null, t.weight);
      else document.getElementById("chart-industries").innerHTML = empty(zh ? "没有穿透到股票：没有行业分布。" : "No stocks looked through: no industries.");
      document.getElementById("top-holdings").innerHTML = '<p class="hint">' + esc(t.coverage) + " " + pct(d.coverage, 1) + "</p>" + (d.top_holdings.length ?
        '<div class="scroll"><table data-testid="top-holdings"><tr><th>' + esc(t.security) + "</th><th>" + esc(t.industry) + '</th><th class="num">' + esc(t.weight) + "</th><th>" + esc(t.via) + "</th><th>" + esc(t.disclosure) + "</th></tr>" +
        d.top_holdings.map((h) => "<tr><td>" + esc(h.name) + "</td><td>" + esc(h.industry || h.kind) + '</td><td class="num">' + pct(h.weight) + "</td><td>" +
          h.via.map((c) => '<a href="/funds/' + esc(c) + '">' + esc(c) + "</a>").join(" ") + "</td><td class=\"date\">" + esc(h.disclosure_as_of || "—") + "</td></tr>").join("") + "</table></div>" : empty());
      document.getElementById("flags").innerHTML = d.flags.length ? d.flags.map((f) => '<div class="flag bad">⚠ ' + esc((t.layer || {})[f.layer] || f.layer) + " · " + esc(f.name) + " " +
        pct(f.share, 1) + " &gt; " + pct(f.threshold, 0) + ' <span class="hint">(' + esc(f.basis) + ")</span></div>").join("") : empty(t.no_flags);
      const pairs = d.overlap || [];
      if (!pairs.length) { document.getElementById("chart-overlap").outerHTML = '<div id="chart-overlap">' + empty(t.no_overlap) + "</div>"; return; }
      const codes = [...new Set(pairs.flatMap((p) => [p.fund_a, p.fund_b]))];
      const cells = [];
      codes.forEach((a, i) => codes.forEach((b, j) => { if (i === j) cells.push([i, j, 1]); }));
      pairs.forEach((p) => { const i = codes.indexOf(p.fund_a), j = codes.indexOf(p.fund_b); cells.push([i, j, p.score], [j, i, p.score]); });
      chart("chart-overlap", {
        tooltip: { formatter: (p) => codes[p.value[0]] + " × " + codes[p.value[1]] + ": " + pct(p.value[2], 1) },
        grid: { left: 8, right: 8, top: 8, bottom: 50, containLabel: true },
        xAxis: { type: "category", data: codes }, yAxis: { type: "category", data: codes, inverse: true },
        visualMap: { min: 0, max: 1, calculable: true, orient: "horizontal", left: "center", bottom: 0, inRange: { color: ["#f7fbff", "#b4212e"] } },
        series: [{ type: "heatmap", data: cells, label: { show: true, formatter: (p) => pct(p.value[2], 0) } }],
      });
    });
    section(document.getElementById("layers"), base + "layers", (d) => {
      const names = {};
      d.nodes.forEach((n) => (names[n.id] = n.name));
      chart("chart-layers", {
        tooltip: { trigger: "item", formatter: (p) => (p.dataType === "edge" ? esc(names[p.data.source]) + " → " + esc(names[p.data.target]) + ": " + pct(p.data.value, 1) : esc(p.name) + " · " + esc((t.layer || {})[p.data.layer] || "")) },
        // left-aligned so a product with no manager (deposit, idle cash) stays in the fund column
        series: [{ type: "sankey", left: 8, right: 90, nodeGap: 6, nodeAlign: "left", emphasis: { focus: "adjacency" },
          label: { formatter: (p) => names[p.name] || p.name, fontSize: 11, width: Math.max(60, Math.min(150, document.getElementById("chart-layers").clientWidth / 5)), overflow: "truncate" },
          data: d.nodes.map((n) => ({ name: n.id, layer: n.layer })), links: d.links, lineStyle: { color: "gradient", opacity: 0.35 } }],
      });
    });

    // -------------------------------------------------------------- allocation vs target, three pots
    section(document.getElementById("allocation"), base + "allocation", (d, body) => {
      const gaps = d.gaps || [];
      chart("chart-allocation", {
        tooltip: { trigger: "axis", valueFormatter: yuan }, legend: { top: 0 }, grid: { left: 8, right: 8, top: 30, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: gaps.map((g) => className(g.asset_class)) }, yAxis: { type: "value", axisLabel: { formatter: (v) => yuan(v) } },
        series: [{ name: t.current, type: "bar", data: gaps.map((g) => g.current) }, { name: t.target, type: "bar", data: gaps.map((g) => g.target) }],
      });
      const pots = (d.pots && d.pots.pots) || [];
      body.innerHTML = "<h3>" + esc(t.pots) + '</h3><div class="scroll"><table data-testid="pots"><tr><th></th><th class="num">' + esc(t.current) + '</th><th class="num">' + esc(t.target) + '</th><th class="num">' + esc(t.gap) + "</th></tr>" +
        pots.map((p) => "<tr><td>" + esc(zh ? p.label_zh : (t.pot || {})[p.name] || p.name) + '</td><td class="num">' + yuan(p.current) + '</td><td class="num">' + yuan(p.target) + " <small class=hint>(" + yuan(p.target_low) + "–" + yuan(p.target_high) + ')</small></td><td class="num ' + signCls(p.gap) + '">' + yuan(p.gap) + "</td></tr>").join("") +
        "</table></div>" + (d.blocked ? '<p class="alert">' + esc(t.blocked) + ": " + esc(d.blocked) + "</p>" : "") +
        (d.proposal && d.proposal.lines ? '<div class="scroll"><table>' + d.proposal.lines.map((l) => "<tr><td>" + esc((t.action || {})[l.action] || l.action || "") + "</td><td>" + esc(l.name || l.product_code || "") + '</td><td class="num">' + yuan(l.amount) + "</td></tr>").join("") + "</table></div>" : "");
    });
    // -------------------------------------------------------------- Brinson attribution
    section(document.getElementById("attribution"), base + "attribution?period=1y", (d, body) => {
      const e = d.effects || [];
      chart("chart-attribution", {
        tooltip: { trigger: "axis", valueFormatter: (v) => pct(v, 2) }, legend: { top: 0 }, grid: { left: 8, right: 8, top: 30, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: e.map((x) => className(x.asset_class)) }, yAxis: { type: "value", axisLabel: { formatter: (v) => pct(v, 1) } },
        series: ["allocation", "selection", "interaction"].map((k) => ({ name: t[k + "_effect"], type: "bar", stack: "fx", data: e.map((x) => x[k]) })),
      });
      body.innerHTML = '<p>' + esc(t.active_return) + ' <b class="' + signCls(d.active_return) + '">' + pct(d.active_return) + '</b> <span class="hint">' + esc(d.start) + " → " + esc(d.end) + " · " + esc(d.benchmark) + "</span></p>";
    });
    // -------------------------------------------------------------- retirement
    section(document.getElementById("retirement"), base + "retirement", (d, body) => {
      const rows = [[t.age, d.age + " → " + d.retire_age], [t.monthly_spending, yuan(d.monthly_spending)], [t.total_assets, yuan(d.current_savings)], [t.success, pct(d.success_probability, 0)]];
      if (d.plan) rows.push([zh ? "退休所需资金" : "Corpus needed", yuan(d.plan.target_corpus)], [zh ? "每月需储蓄" : "Monthly saving needed", yuan(d.plan.required_monthly_saving)]);
      if (d.sustainability) rows.push([zh ? "年提取率" : "Withdrawal rate", pct(d.sustainability.annual_withdrawal_rate, 1)], [zh ? "可支撑年数" : "Years lasting", d.sustainability.years_lasting == null ? "∞" : d.sustainability.years_lasting.toFixed(1)]);
      body.innerHTML = '<table data-testid="retirement">' + rows.map(([k, v]) => "<tr><td>" + esc(k) + '</td><td class="num">' + esc(v) + "</td></tr>").join("") + "</table>";
    });

    // -------------------------------------------------------------- proposal job
    const btn = document.getElementById("btn-proposal");
    const status = document.getElementById("proposal-status");
    btn.onclick = async () => {
      btn.disabled = true;
      status.innerHTML = '<span class="loading">' + esc(t.loading) + "</span>";
      try {
        let job = await post("/console/api/reports", { client_id: cid, lang: document.getElementById("proposal-en").checked ? "en" : "zh" });
        while (job.status === "queued" || job.status === "running") {
          status.innerHTML = esc(t.progress) + ' <progress max="1" value="' + job.progress + '"></progress> ' + esc((t.status || {})[job.status] || job.status);
          await new Promise((r) => setTimeout(r, 600));
          job = await api("/console/api/reports/" + job.id);
        }
        if (job.status === "done") {
          status.innerHTML = '<span class="good">✓ ' + esc(t.status.done) + '</span> <a data-testid="download-docx" href="' + job.file_url + '">' + esc(t.download_docx) + '</a> · <a href="' + job.pdf_url + '">' + esc(t.download_pdf) + "</a>";
        } else {
          showError(status, { message: (job.error && job.error.message) || job.status, hint: job.error && job.error.hint }, () => btn.onclick());
        }
      } catch (err) { showError(status, err, () => btn.onclick()); }
      btn.disabled = false;
    };

    // -------------------------------------------------------------- copilot pane (SSE over fetch)
    const pane = document.getElementById("copilot");
    const log = document.getElementById("copilot-log");
    let historyLoaded = false;
    document.getElementById("btn-copilot").onclick = async () => {
      pane.hidden = false;
      pane.querySelector("input").focus();
      if (historyLoaded) return;
      historyLoaded = true;
      try {  // the agent keeps the conversation per sign-in and client: show what was said before a reload
        const h = await api("/console/api/copilot/" + encodeURIComponent(cid) + "/history");
        log.insertAdjacentHTML("afterbegin", h.messages.map((m) => '<div class="msg ' + (m.role === "user" ? "q" : "a") + ' old">' + esc(m.content) + "</div>").join(""));
      } catch (err) { /* history is a convenience; asking still works */ }
    };
    document.getElementById("copilot-close").onclick = () => (pane.hidden = true);
    document.getElementById("copilot-form").onsubmit = async (ev) => {
      ev.preventDefault();
      const input = ev.target.message;
      const q = input.value.trim();
      if (!q) return;
      input.value = "";
      log.insertAdjacentHTML("beforeend", '<div class="msg q">' + esc(q) + "</div>");
      const a = document.createElement("div");
      a.className = "msg a"; a.dataset.testid = "copilot-answer"; a.innerHTML = '<span class="loading">' + esc(t.loading) + "</span>";
      log.appendChild(a);
      let text = "";
      try {
        const r = await fetch("/console/api/copilot", { method: "POST", credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": WD.csrf }, body: JSON.stringify({ message: q, client_id: cid }) });
        if (!r.ok) { const b = await r.json().catch(() => ({})); throw Object.assign(new Error(b.message || r.statusText), { hint: b.hint }); }
        const reader = r.body.getReader();
        const dec = new TextDecoder();
        let buf = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += dec.decode(value, { stream: true });
          let cut;
          while ((cut = buf.indexOf("\n\n")) >= 0) {
            const block = buf.slice(0, cut); buf = buf.slice(cut + 2);
            const ev2 = (block.match(/^event: (.*)$/m) || [])[1];
            const data = (block.match(/^data: (.*)$/m) || [])[1];
            if (!ev2 || data == null) continue;
            const p = JSON.parse(data);
            if (ev2 === "delta") { text += p.text; a.textContent = text; }
            else if (ev2 === "done") {
              a.textContent = p.answer || text;
              const chips = document.createElement("div");
              chips.dataset.testid = "copilot-chips";
              chips.innerHTML = (p.tool_calls || []).map((c, i) => '<span class="chip tool' + ((p.tool_status || [])[i] && p.tool_status[i] !== "ok" ? " bad" : "") + '" title="' + esc(JSON.stringify(c.args)) + '">🔧 ' + esc(c.name) + "</span>").join("") +
                (p.citations || []).map((c) => '<span class="chip src">📄 ' + esc(c) + "</span>").join("") +
                ((p.ungrounded_numbers || []).length ? '<span class="chip bad">? ' + esc(p.ungrounded_numbers.join(", ")) + "</span>" : "");
              a.appendChild(chips);
            } else if (ev2 === "error") { showError(a, { message: p.message, hint: p.hint }); }
          }
          log.scrollTop = log.scrollHeight;
        }
      } catch (err) { showError(a, err); }
    };
  };
})();
