import { sleepUntil, startTimer } from '../src/load/preciseTimer.ts';
import { createRng } from '../src/workload/rng.ts';

const mode = (process.argv[2] ?? 'thread') as 'thread' | 'spin';
await startTimer(mode);
const rng = createRng(1);
const lat: number[] = [];

import { readdirSync as rd, readFileSync as rf } from 'node:fs';

const ticksNow = () =>
  Object.fromEntries(
    rd('/proc/self/task').map((t) => {
      const f = rf(`/proc/self/task/${t}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      return [t, Number(f[11]) + Number(f[12])];
    }),
  );
const before = ticksNow();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let next = t0;
while (performance.now() - t0 < 5000) {
  next += rng.exponential(0.5);
  await sleepUntil(next);
  lat.push(performance.now() - next);
}
const cpu = process.cpuUsage(cpu0);
const wall = performance.now() - t0;
lat.sort((a, b) => a - b);
const q = (p: number) => lat[Math.floor(p * (lat.length - 1))]?.toFixed(3);
console.log(
  mode,
  'cores',
  ((cpu.user + cpu.system) / 1000 / wall).toFixed(3),
  'late p50',
  q(0.5),
  'p99',
  q(0.99),
  'n',
  lat.length,
);
const after = ticksNow();
for (const [t, v] of Object.entries(after))
  if (v - (before[t] ?? 0) > 0) console.log('  thread', t, 'cpu ms in window', (v - (before[t] ?? 0)) * 10);
