(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var seconds = data.seconds || [];
  var phases = data.phases || [];
  var end = Math.max(1, seconds.length ? seconds[seconds.length - 1].t : 0, data.duration || 0,
      Math.max.apply(null, [0].concat(phases.map(function (p) { return p.to; }))));
  var charts = 0;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function none(parent, text) { parent.appendChild(el("p", { "class": "none" }, text)); }

  function summary() {
    var s = document.getElementById("summary");
    if (data.status) {
      var verdict = data.deviated ? "deviated" : data.status;
      var good = !data.deviated && data.status === "completed" && !(data.hypothesis && data.hypothesis.before && !data.hypothesis.before.met);
      s.appendChild(el("span", { "class": good ? "ok" : "bad", id: "verdict" }, "status: " + verdict));
      s.appendChild(el("span", {}, "duration: " + (data.duration || 0).toFixed(1) + " s"));
    }
    if (data.load) {
      var l = data.load;
      s.appendChild(el("span", {}, "load: " + l.method + " " + l.url + " at " + l.rate + "/s, " + l.sent + " sent"));
      s.appendChild(el("span", {}, "p50 " + l.p50.toFixed(1) + " ms, p99 " + l.p99.toFixed(1) + " ms, p99.9 " + l.p999.toFixed(1) + " ms"));
    }
    s.appendChild(el("span", {}, "started " + data.start));
  }

  function hypothesis() {
    var h = data.hypothesis, box = document.getElementById("hypothesis");
    if (!h || (!h.before && !h.after)) { none(box, "no hypothesis was checked"); return; }
    var t = el("table");
    var head = el("tr");
    ["when", "probe", "status", "tolerance", "within"].forEach(function (c) { head.appendChild(el("th", {}, c)); });
    t.appendChild(head);
    ["before", "after"].forEach(function (when) {
      if (!h[when]) return;
      h[when].probes.forEach(function (p) {
        var r = el("tr");
        r.appendChild(el("td", {}, when));
        r.appendChild(el("td", {}, p.name));
        r.appendChild(el("td", {}, p.status));
        r.appendChild(el("td", {}, p.tolerance));
        r.appendChild(el("td", { "class": p.tolerance_met ? "ok" : "bad" }, p.tolerance_met ? "yes" : "no"));
        t.appendChild(r);
      });
    });
    box.appendChild(t);
  }

  function lane(parent, label, spans, cls) {
    var row = el("div", { "class": "bar-row" });
    row.appendChild(el("div", { "class": "bar-label" }, label));
    var l = el("div", { "class": "lane", style: "flex: 1" });
    spans.forEach(function (sp) {
      var left = 100 * sp.from / end, width = Math.max(0.5, 100 * (sp.to - sp.from) / end);
      var d = el("div", { "class": "span " + (sp.cls || cls) + (sp.ok === false ? " failed" : ""),
        style: "left:" + left + "%;width:" + width + "%", title: sp.text + " (" + sp.from.toFixed(1) + "-" + sp.to.toFixed(1) + " s)" }, sp.text);
      l.appendChild(d);
    });
    row.appendChild(l);
    parent.appendChild(row);
  }

  function timeline() {
    var box = document.getElementById("timeline");
    var lanes = el("div", { "class": "lanes" });
    lane(lanes, "experiment", phases.map(function (p) {
      return { from: p.from, to: p.to, text: p.name, cls: p.kind, ok: p.ok };
    }), "action");
    (data.faults || []).forEach(function (f) { lane(lanes, "fault", [{ from: f.from, to: f.to, text: f.what }], "fault"); });
    (data.toxics || []).forEach(function (f) { lane(lanes, "toxic", [{ from: f.from, to: f.to, text: f.what }], "toxic"); });
    box.appendChild(lanes);
    if (!phases.length && !(data.faults || []).length) none(box, "no phases were recorded");
  }

  function shade(u) {
    var ctx = u.ctx;
    phases.forEach(function (p) {
      if (p.kind !== "action") return;
      var x0 = u.valToPos(p.from, "x", true), x1 = u.valToPos(p.to, "x", true);
      ctx.save();
      ctx.fillStyle = "rgba(225, 87, 89, 0.12)";
      ctx.fillRect(x0, u.bbox.top, Math.max(1, x1 - x0), u.bbox.height);
      ctx.fillStyle = "rgba(120, 30, 30, 0.9)";
      ctx.font = (11 * devicePixelRatio) + "px sans-serif";
      // a short action (no pause after it) gets no label: it would run into the next one's
      if (ctx.measureText(p.name).width + 6 < x1 - x0) ctx.fillText(p.name, x0 + 3, u.bbox.top + 12 * devicePixelRatio);
      ctx.restore();
    });
  }

  function chart(id, series, columns) {
    var box = document.getElementById(id);
    if (!seconds.length) { none(box, "no load was run, so there is nothing over time"); return; }
    var width = Math.max(400, Math.min(1200, box.clientWidth || 900));
    new uPlot({ width: width, height: 260, series: [{ label: "s" }].concat(series),
      scales: { x: { time: false, range: [0, end] } },
      axes: [{ label: "seconds" }, {}], hooks: { drawClear: [shade] } }, columns, box);
    charts++;
  }

  function overTime() {
    var t = seconds.map(function (s) { return s.t; });
    var pick = function (k) { return seconds.map(function (s) { return s[k] === undefined ? null : s[k]; }); };
    chart("latency", [
      { label: "p50", stroke: "#4e79a7" }, { label: "p90", stroke: "#f28e2b" },
      { label: "p99", stroke: "#e15759" }, { label: "max", stroke: "#bab0ac", dash: [4, 4] }],
      [t, pick("p50"), pick("p90"), pick("p99"), pick("max")]);
    var flags = {};
    seconds.forEach(function (s) { Object.keys(s.flags || {}).forEach(function (f) { flags[f] = true; }); });
    var palette = ["#b07aa1", "#59a14f", "#edc948", "#9c755f", "#76b7b2", "#ff9da7"];
    var series = [{ label: "errors %", stroke: "#b42318", width: 2 }];
    var columns = [t, seconds.map(function (s) { return s.sent ? 100 * s.errors / s.sent : (s.sent === 0 ? 0 : null); })];
    Object.keys(flags).sort().forEach(function (f, i) {
      series.push({ label: "flag " + f + " /s", stroke: palette[i % palette.length] });
      columns.push(seconds.map(function (s) { return (s.flags || {})[f] || 0; }));
    });
    chart("errors", series, columns);
  }

  function bars(id, rows, key) {
    var box = document.getElementById(id);
    if (!rows || !rows.length) { none(box, "no MeshUnit journal was read"); return; }
    var max = Math.max.apply(null, rows.map(function (r) { return r.requests; }));
    rows.forEach(function (r) {
      var row = el("div", { "class": "bar-row" });
      row.appendChild(el("div", { "class": "bar-label", title: String(r[key]) }, String(r[key])));
      row.appendChild(el("div", { "class": "bar", style: "width:" + Math.max(2, 300 * r.requests / max) + "px" }));
      row.appendChild(el("span", {}, String(r.requests)));
      box.appendChild(row);
    });
  }

  summary();
  hypothesis();
  timeline();
  overTime();
  bars("subsets", data.subsets, "destination");
  bars("endpoints", data.endpoints, "endpoint");
  bars("attempts", (data.attempts || []).map(function (a) {
    return { label: a.attempts === 0 ? "0 (answered by MeshUnit)" : a.attempts + (a.attempts === 1 ? " attempt" : " attempts"), requests: a.requests };
  }), "label");
  document.body.setAttribute("data-charts", String(charts));
  document.body.setAttribute("data-rendered", "ok");
})();
