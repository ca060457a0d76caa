/**
 * Writes the sample trace bench/traces/sample.csv.gz: a day of traffic
 * compressed into 10 minutes, in the `csv` trace layout. Deterministic (seed
 * 12): running it again rewrites the same bytes (gzip level 9 and no file
 * time in the header; Node's bundled zlib).
 *
 *   npx tsx bench/traceSample.ts
 *
 * What is in it, so a replay has something to find:
 * - A day-shaped rate: a night trough at 20% of the midday peak (cosine).
 * - Zipf 0.9 popularity over 20,000 items, drifting: every 2 s a new item
 *   enters at rank 1 and every other item cools by one rank (news-feed aging).
 * - A burst: `item:flash` gets 150 extra reads/s for 30 s at 400 s.
 * - Writes: 5% of requests are `set`s, on the same popularity as the reads.
 * - Value sizes fixed per item, log-uniform from 64 B to 4 KiB.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createRng, type Rng } from '../src/workload/rng.ts';

export const SAMPLE_TRACE_PATH = fileURLToPath(new URL('./traces/sample.csv.gz', import.meta.url));

const SEED = 12;
const DAY_SEC = 600;
const PEAK_PER_SEC = 420;
const NIGHT_SHARE = 0.2;
const ITEMS = 20_000;
const ZIPF_S = 0.9;
const DRIFT_EVERY_SEC = 2;
const BURST = { key: 'item:flash', startSec: 400, endSec: 430, perSec: 150 };
const WRITE_SHARE = 0.05;

/** Day shape: NIGHT_SHARE of the peak at t = 0 and at the end, the peak at midday. */
function rateAt(tSec: number): number {
  return PEAK_PER_SEC * (NIGHT_SHARE + (1 - NIGHT_SHARE) * 0.5 * (1 - Math.cos((2 * Math.PI * tSec) / DAY_SEC)));
}

function burstAt(tSec: number): number {
  return tSec >= BURST.startSec && tSec < BURST.endSec ? BURST.perSec : 0;
}

/** Cumulative Zipf weights over ranks 1..ITEMS, for inverse-CDF draws. */
function zipfCdf(): Float64Array {
  const cdf = new Float64Array(ITEMS);
  let total = 0;
  for (let r = 1; r <= ITEMS; r++) {
    total += r ** -ZIPF_S;
    cdf[r - 1] = total;
  }
  for (let i = 0; i < ITEMS; i++) cdf[i] = (cdf[i] as number) / total;
  return cdf;
}

/** Rank 0..ITEMS-1 with P(rank r) ∝ (r+1)^−s: binary search of the CDF. */
function drawRank(cdf: Float64Array, rng: Rng): number {
  const u = rng.next();
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cdf[mid] as number) > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** A seeded shuffle of item names, so hot items are not the low numbers. */
function itemNames(rng: Rng): string[] {
  const ids = Array.from({ length: ITEMS }, (_, i) => i);
  for (let i = ITEMS - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [ids[i], ids[j]] = [ids[j] as number, ids[i] as number];
  }
  return ids.map((id) => `item:${id}`);
}

function valueSizes(rng: Rng): Int32Array {
  const sizes = new Int32Array(ITEMS);
  for (let i = 0; i < ITEMS; i++) sizes[i] = Math.round(64 * 64 ** rng.next());
  return sizes;
}

/** The whole trace as csv text. Arrivals by thinning a Poisson stream at the highest rate. */
export function sampleTraceText(): string {
  const root = createRng(SEED);
  const arrivals = root.fork('arrivals');
  const keys = root.fork('keys');
  const ops = root.fork('ops');
  const names = itemNames(root.fork('names'));
  const sizes = valueSizes(root.fork('sizes'));
  const cdf = zipfCdf();
  const bound = PEAK_PER_SEC + BURST.perSec;
  const lines = ['timestamp,key,op,value_size'];
  for (let t = arrivals.exponential(1 / bound); t < DAY_SEC; t += arrivals.exponential(1 / bound)) {
    const base = rateAt(t);
    const burst = burstAt(t);
    const u = arrivals.next() * bound;
    if (u >= base + burst) continue;
    const write = ops.next() < WRITE_SHARE;
    if (u >= base) {
      lines.push(`${t.toFixed(3)},${BURST.key},get,512`);
      continue;
    }
    // New items enter at rank 0 and age: the item at rank r now held rank r − drift earlier.
    const drift = Math.floor(t / DRIFT_EVERY_SEC);
    const slot = (((drawRank(cdf, keys) - drift) % ITEMS) + ITEMS) % ITEMS;
    lines.push(`${t.toFixed(3)},${names[slot]},${write ? 'set' : 'get'},${sizes[slot]}`);
  }
  return `${lines.join('\n')}\n`;
}

export function sampleTraceGzip(): Buffer {
  return gzipSync(Buffer.from(sampleTraceText(), 'utf8'), { level: 9 });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const gz = sampleTraceGzip();
  writeFileSync(SAMPLE_TRACE_PATH, gz);
  console.log(`wrote ${SAMPLE_TRACE_PATH} (${(gz.length / 1024).toFixed(0)} KiB)`);
}
