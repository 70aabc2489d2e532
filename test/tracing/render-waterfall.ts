// Renders the upload trace the fake OTLP collector received in test/tracing/upload-trace.test.ts
// (artifacts/traces/upload-trace.json) as a simple waterfall and screenshots it in Debian's
// Chromium: docs/images/upload-trace.png, shown in docs/observability.md. A stand-in for a
// Jaeger screenshot where no Docker runs: the spans, parents and timings are the real ones.
//   node --conditions=source test/tracing/render-waterfall.ts
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

interface Span {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startNs: string;
  endNs: string;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const spans = JSON.parse(
  readFileSync(`${ROOT}artifacts/traces/upload-trace.json`, 'utf8'),
) as Span[];
const KIND = ['', 'internal', 'server', 'client', 'producer', 'consumer'];
const escape = (s: string): string =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

// Depth-first from the root(s), children by start time: the order a trace viewer shows.
const ids = new Set(spans.map((s) => s.spanId));
const children = (id: string | undefined) =>
  spans
    .filter((s) => (id ? s.parentSpanId === id : !s.parentSpanId || !ids.has(s.parentSpanId)))
    .sort((a, b) => (BigInt(a.startNs) < BigInt(b.startNs) ? -1 : 1));
const rows: { span: Span; depth: number }[] = [];
const walk = (id: string | undefined, depth: number): void => {
  for (const s of children(id)) {
    rows.push({ span: s, depth });
    walk(s.spanId, depth + 1);
  }
};
walk(undefined, 0);

const t0 = rows.reduce(
  (m, r) => (BigInt(r.span.startNs) < m ? BigInt(r.span.startNs) : m),
  BigInt(rows[0]!.span.startNs),
);
const t1 = rows.reduce((m, r) => (BigInt(r.span.endNs) > m ? BigInt(r.span.endNs) : m), 0n);
const total = Number(t1 - t0) / 1e6;
const pct = (ns: string) => (Number(BigInt(ns) - t0) / 1e6 / total) * 100;

const html = `<!doctype html><meta charset="utf-8"><style>
body{font:13px system-ui,sans-serif;margin:16px;color:#1d2433;width:1100px}
h1{font-size:16px;margin:0 0 4px} p{margin:0 0 12px;color:#556}
.row{display:grid;grid-template-columns:420px 1fr 70px;align-items:center;height:24px;border-bottom:1px solid #eef}
.name{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.svc{display:inline-block;width:52px;font-size:11px;color:#fff;border-radius:3px;text-align:center;margin-right:6px}
.api{background:#2f6fde}.worker{background:#1f9d6b}
.kind{color:#889;font-size:11px;margin-left:6px}
.track{position:relative;height:14px}.bar{position:absolute;height:14px;border-radius:2px;min-width:2px}
.dur{text-align:right;color:#556;font-variant-numeric:tabular-nums}
</style>
<h1>One upload, one trace: ${escape(spans[0]?.traceId ?? '')}</h1>
<p>complete → enqueue → job → S3 read → row update · ${total.toFixed(1)} ms · spans received by the fake OTLP collector</p>
${rows
  .map(({ span: s, depth }) => {
    const left = pct(s.startNs);
    const width = Math.max(pct(s.endNs) - left, 0.2);
    const ms = Number(BigInt(s.endNs) - BigInt(s.startNs)) / 1e6;
    return `<div class="row"><div class="name" style="padding-left:${depth * 16}px"><span class="svc ${escape(s.service)}">${escape(s.service)}</span>${escape(s.name)}<span class="kind">${KIND[s.kind] ?? ''}</span></div><div class="track"><div class="bar ${escape(s.service)}" style="left:${left}%;width:${width}%"></div></div><div class="dur">${ms.toFixed(1)} ms</div></div>`;
  })
  .join('\n')}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1140, height: 200 } });
  await page.setContent(html);
  mkdirSync(`${ROOT}docs/images`, { recursive: true });
  await page.screenshot({ path: `${ROOT}docs/images/upload-trace.png`, fullPage: true });
  process.stdout.write(
    `docs/images/upload-trace.png: ${rows.length} spans, ${total.toFixed(1)} ms\n`,
  );
} finally {
  await browser.close();
}
