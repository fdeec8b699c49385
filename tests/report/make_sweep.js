#!/usr/bin/env node
// make_sweep.js — compose a sweep document (format "seedload-sweep", version 1) by hand from the
// runs[0] of several `seedload bench --json` results, for the report tests. It made
// sample_sweep.json and sample_scales.json (docs/report.md, "The test"):
//
//   node tests/report/make_sweep.js --mode clients --slo 'p99<1ms' --max-load 1 --knee 3 \
//        --stopped-early c1.json c2.json c4.json c8.json c16.json > sample_sweep.json
//   node tests/report/make_sweep.js --mode scales --scales 1,10,30 s1.json s10.json s30.json
//
// The step fields (clients, rate, scale) come from each result's config; --scales overrides the
// scale (a scale sweep regenerates the data, so each result was made at its own scale). The
// answer's figures are read from the chosen steps; the text is written from them.
'use strict';
const fs = require('fs');

const args = process.argv.slice(2);
const opt = {mode: 'clients', slo: null, knee: null, maxLoad: null, stopped: false, scales: null, files: []};
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--mode') opt.mode = args[++i];
  else if (a === '--slo') opt.slo = args[++i];
  else if (a === '--knee') opt.knee = +args[++i];
  else if (a === '--max-load') opt.maxLoad = +args[++i];
  else if (a === '--stopped-early') opt.stopped = true;
  else if (a === '--scales') opt.scales = args[++i].split(',').map(Number);
  else opt.files.push(a);
}
if (!opt.files.length) {
  console.error('usage: make_sweep.js [--mode M] [--slo S] [--knee I] [--max-load I] [--stopped-early] [--scales L] RESULT.json...');
  process.exit(2);
}
const docs = opt.files.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')));
const first = docs[0];
const UNIT = {ns: 1, us: 1e3, ms: 1e6, s: 1e9};
// "p99<1ms" -> [{check, metric, limit(ns)}]; only whole-run latency checks are evaluated here.
const checks = (opt.slo || '').split(',').filter(Boolean).map((c) => {
  const m = /^(p[0-9.]+|max)\s*<\s*([0-9.]+)\s*(ns|us|ms|s)?$/.exec(c.trim());
  if (!m) throw new Error('make_sweep.js evaluates only latency checks like p99<1ms: ' + c);
  return {check: c.trim(), metric: m[1], limit: parseFloat(m[2]) * UNIT[m[3] || 'ms']};
});

// Per-transaction service histograms are optional in a run; drop them to keep samples small.
function slim(run) {
  const r = JSON.parse(JSON.stringify(run));
  for (const t of r.transactions || []) delete t.service;
  return r;
}

const steps = docs.map((d, i) => {
  const run = slim(d.runs[0]);
  const slo = checks.map((c) => {
    const v = run.latency[c.metric];
    return {check: c.check, value: v, pass: v < c.limit};
  });
  return {
    clients: d.config.clients,
    rate: d.config.rate ? d.config.rate : null,
    scale: opt.scales ? opt.scales[i] : d.config.scale,
    scenario: d.config.scenario,
    run,
    slo_met: checks.length ? slo.every((s) => s.pass) : null,
    slo,
  };
});

function pick(i, withP99) {
  if (i == null) return null;
  const s = steps[i];
  const o = {step: i, clients: s.clients, rate: s.rate, tps: s.run.summary.tps};
  if (withP99) o.p99 = s.run.latency.p99;
  return o;
}
const ms = (ns) => (ns / 1e6).toFixed(3) + ' ms';
let text = '';
if (opt.mode === 'scales') {
  const a = steps[0], b = steps[steps.length - 1];
  text = 'At ' + a.clients + ' clients, p99 latency grows from ' + ms(a.run.latency.p99) + ' at scale ' + a.scale +
         ' to ' + ms(b.run.latency.p99) + ' at scale ' + b.scale + ' (' + (b.run.latency.p99 / a.run.latency.p99).toFixed(1) +
         'x for ' + (b.scale / a.scale) + 'x the data).';
} else {
  if (opt.maxLoad != null) {
    const s = steps[opt.maxLoad];
    text += 'Highest load within ' + opt.slo + ': ' + s.clients + ' clients, ' + s.run.summary.tps.toFixed(1) +
            ' tps (p99 ' + ms(s.run.latency.p99) + ').';
  } else text += 'No step met ' + opt.slo + '.';
  if (opt.knee != null) {
    const s = steps[opt.knee];
    text += ' Latency turns up at ' + s.clients + ' clients (the knee: ' + s.run.summary.tps.toFixed(1) + ' tps, p99 ' +
            ms(s.run.latency.p99) + ').';
  }
  if (opt.stopped) text += ' Stopped early: the last step broke the SLO clearly.';
}

const c = first.config;
const sweep = {
  format: 'seedload-sweep',
  version: 1,
  seedload_version: first.seedload_version,
  config: {
    profile: c.profile, workload: c.workload, target: c.target, dialect: c.dialect, mode: opt.mode,
    values: steps.map((s) => (opt.mode === 'scales' ? s.scale : opt.mode === 'rate' ? s.rate : s.clients)),
    slo: opt.slo, duration_s: c.duration_s, warmup_s: c.warmup_s,
    clients: opt.mode === 'clients' ? null : c.clients, threads: c.threads, rate: c.rate ? c.rate : null,
  },
  environment: first.environment,
  steps,
  answer: {max_load: pick(opt.maxLoad, false), knee: pick(opt.knee, true), stopped_early: opt.stopped, text},
};
process.stdout.write(JSON.stringify(sweep, null, 1) + '\n');
