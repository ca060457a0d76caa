/**
 * Draws per second of the key sampler at 1,000,000 keys. The load generator
 * draws one key per request, so the sampler must stay far ahead of any
 * request rate Redis can serve (target: ≥ 10 million draws/s).
 *
 *   npx tsx bench/samplerThroughput.ts
 */
import { Bench } from 'tinybench';
import type { KeyDistribution } from '../src/config/types.ts';
import { formatDistribution as describeDistribution } from '../src/config/values.ts';
import { createKeySampler, type KeySampler } from '../src/workload/keySampler.ts';
import { createRng } from '../src/workload/rng.ts';

const KEYS = 1_000_000;
const BATCH = 10_000;
const DISTRIBUTIONS: KeyDistribution[] = [
  { kind: 'uniform' },
  { kind: 'zipf', s: 0.99 },
  { kind: 'hotspot', hotFraction: 0.2, hotOpsFraction: 0.8 },
];

const bench = new Bench({ time: 1000 });
const buildMs: Record<string, number> = {};
// Accumulate the draws so the JIT cannot drop the loop as dead code.
let sink = 0;
function drawBatch(sampler: KeySampler): void {
  let acc = 0;
  for (let i = 0; i < BATCH; i++) acc += sampler.next();
  sink += acc;
}

for (const dist of DISTRIBUTIONS) {
  const name = describeDistribution(dist);
  const started = performance.now();
  const sampler = createKeySampler(dist, KEYS, createRng(42));
  buildMs[name] = performance.now() - started;
  bench.add(name, () => drawBatch(sampler));
}

await bench.run();

console.table(
  bench.tasks.map((task) => {
    const result = task.result;
    // period is the mean time of one task iteration (BATCH draws) in ms.
    const drawsPerSec = result.state === 'completed' ? (BATCH * 1000) / result.period : Number.NaN;
    return {
      distribution: task.name,
      'build (ms)': Number((buildMs[task.name] ?? Number.NaN).toFixed(1)),
      'draws/s (M)': Number((drawsPerSec / 1e6).toFixed(1)),
      'rme (%)': result.state === 'completed' ? Number(result.latency.rme.toFixed(2)) : Number.NaN,
    };
  }),
);
if (sink === 0) console.log('(no draws)');
