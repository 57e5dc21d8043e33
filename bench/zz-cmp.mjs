import { Bench } from 'tinybench';
import { LatencyHistogram } from '/work/main/node_modules/.cache/smtpgauge-bench/src/metrics/latency-histogram.js';
import { encodeHistogram } from '/work/main/node_modules/.cache/smtpgauge-bench/src/metrics/histogram-codec.js';
import * as hdr from 'hdr-histogram-js';
function old(h){ const x = new hdr.Int32Histogram(1, 3_600_000_000, 3); for (let i = 0; i <= h.highestIndex; i++) { const n = h.counts[i]; if (n) x.setCountAtIndex(i, n); } x.establishInternalTackingValues(h.highestIndex + 1); return hdr.encodeIntoCompressedBase64(x); }
let a = 42; const h = new LatencyHistogram();
for (let i = 0; i < 10000; i++) { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296; h.record(Math.floor(200 + 50000 * u ** 3)); }
console.log('lengths', old(h).length, encodeHistogram(h).length);
const b = new Bench({ time: 1000 });
b.add('hdr-histogram-js', () => old(h)).add('own V2 writer', () => encodeHistogram(h));
await b.run();
for (const t of b.tasks) console.log(t.name, (t.result.latency?.mean ?? t.result.mean).toFixed(4), 'ms mean', 'p99', (t.result.latency?.p99 ?? t.result.p99).toFixed(4));
// cold-ish: one call every 30 ms
for (const [n, f] of [['old', old], ['new', encodeHistogram]]) { const ts = []; for (let r = 0; r < 20; r++) { const t0 = performance.now(); f(h); ts.push(performance.now() - t0); await new Promise(r => setTimeout(r, 30)); } ts.sort((x, y) => x - y); console.log(n, 'every 30 ms: p50', ts[10].toFixed(3), 'max', ts[19].toFixed(3)); }
