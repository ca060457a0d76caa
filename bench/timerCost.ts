/**
 * `npx tsx bench/timerCost.ts [wait|thread|spin] [RATE]`: what the precise timer
 * costs on its own — Poisson wake-ups at RATE per second (default 2,000, the
 * default open-loop rate) for 5 s, nothing else — as CPU per thread of this
 * process and lateness percentiles. The figure behind `--timer` in the README.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { sleepUntil, startTimer, stopTimer } from '../src/load/preciseTimer.ts';
import { createRng } from '../src/workload/rng.ts';

const mode = (process.argv[2] ?? 'wait') as 'wait' | 'thread' | 'spin';
const rate = Number(process.argv[3] ?? 2000);
const ticksByThread = () =>
  Object.fromEntries(
    readdirSync('/proc/self/task').map((t) => {
      const fields = readFileSync(`/proc/self/task/${t}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      return [t, Number(fields[11]) + Number(fields[12])];
    }),
  );

await startTimer(mode);
const rng = createRng(1);
const lateness: number[] = [];
const before = ticksByThread();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (let next = t0; performance.now() - t0 < 5000; ) {
  next += rng.exponential(1000 / rate);
  await sleepUntil(next);
  lateness.push(performance.now() - next);
}
const cpu = process.cpuUsage(cpu0);
const wall = performance.now() - t0;
const after = ticksByThread();
await stopTimer();
lateness.sort((a, b) => a - b);
const q = (p: number) => lateness[Math.floor(p * (lateness.length - 1))]?.toFixed(3);
console.log(
  `${mode} at ${rate}/s: ${((cpu.user + cpu.system) / 1000 / wall).toFixed(3)} of a core; lateness p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${q(1)} ms (${lateness.length} wake-ups)`,
);
for (const [t, v] of Object.entries(after)) {
  const ms = (v - (before[t] ?? 0)) * 10;
  if (ms > 0) console.log(`  thread ${t}: ${ms} ms of CPU in the 5 s`);
}
