/**
 * How fast a trace is read, and how fast the simulator replays it per TTL.
 * Writes a seeded synthetic twitter-layout trace (Zipf 0.9 over 1,000,000
 * keys, 5,000 requests/s, 5% writes) to a temp file, reads it back, then
 * simulates ~20 log-spaced TTLs unbounded, and a few with an LRU capacity of
 * 10% of the keys. Wall-clock rates, and rates per CPU second (the process's
 * own CPU time, which a busy shared machine disturbs less).
 *
 *   npx tsx bench/simulatorThroughput.ts [lines, default 3000000]
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKeySampler } from '../src/workload/keySampler.ts';
import { createRng } from '../src/workload/rng.ts';
import { logSpacedTtls, type SimulationConfig, simulate } from '../src/workload/simulator.ts';
import { readTrace, type Trace } from '../src/workload/trace/readTrace.ts';

const LINES = Number(process.argv[2] ?? 3_000_000);
const KEYS = 1_000_000;
const RATE = 5000;

interface Timed<T> {
  value: T;
  wallMs: number;
  cpuMs: number;
}

async function timed<T>(run: () => T | Promise<T>): Promise<Timed<T>> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const value = await run();
  const used = process.cpuUsage(cpu);
  return { value, wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
}

/** Twitter layout, whole-second timestamps, written in 10,000-line batches. */
async function writeTrace(path: string): Promise<void> {
  const rng = createRng(17);
  const keys = createKeySampler({ kind: 'zipf', s: 0.9 }, KEYS, rng.fork('keys'));
  const ops = rng.fork('ops');
  const out = createWriteStream(path);
  const batch: string[] = [];
  for (let i = 0; i < LINES; i++) {
    const write = ops.next() < 0.05;
    const key = keys.next();
    batch.push(
      `${Math.floor(i / RATE)},ns:k${key},12,${100 + (key % 900)},${key % 31},${write ? 'set' : 'get'},${write ? 3600 : 0}`,
    );
    if (batch.length === 10_000 || i === LINES - 1) {
      if (!out.write(`${batch.join('\n')}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      batch.length = 0;
    }
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

function perSec(count: number, ms: number): string {
  return (((count / ms) * 1000) / 1e6).toFixed(2);
}

async function simulateRow(trace: Trace, config: SimulationConfig) {
  // One warm-up pass, so the row measures optimized code.
  simulate(trace, config);
  const run = await timed(() => simulate(trace, config));
  return {
    ttl: config.ttlMs === null ? 'none' : `${config.ttlMs} ms`,
    capacity: config.capacity ?? '∞',
    'Δ ms': config.loadMs ?? 0,
    'hit ratio': Number(run.value.hitRatio.toFixed(4)),
    'M req/s': Number(perSec(trace.requests, run.wallMs)),
    'M req/CPU s': Number(perSec(trace.requests, run.cpuMs)),
  };
}

const dir = mkdtempSync(join(tmpdir(), 'cab-sim-bench-'));
try {
  const file = join(dir, 'trace.csv');
  await writeTrace(file);
  const read = await timed(() => readTrace(file));
  const trace = read.value;
  console.log(
    `read ${trace.lines.toLocaleString('en')} lines (${trace.uniqueKeys.toLocaleString('en')} keys, ${trace.format}): ` +
      `${perSec(trace.lines, read.wallMs)} M lines/s, ${perSec(trace.lines, read.cpuMs)} M lines/CPU s`,
  );
  const rows = [];
  for (const ttlMs of logSpacedTtls(trace.durationMs)) rows.push(await simulateRow(trace, { ttlMs }));
  rows.push(await simulateRow(trace, { ttlMs: 60_000, loadMs: 1, invalidation: 'delete' }));
  const capacity = Math.round(trace.uniqueKeys / 10);
  for (const ttlMs of [1000, 60_000, null]) rows.push(await simulateRow(trace, { ttlMs, capacity }));
  console.table(rows);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
