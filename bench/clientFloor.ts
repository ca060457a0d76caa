/**
 * `npx tsx bench/clientFloor.ts node-redis|socket PORT RATE SECONDS`: the
 * least any Node process can spend to send RATE GETs/s of one small key,
 * open loop, timed by the harness's own wait (src/load/preciseTimer.ts) —
 * with a bare node-redis client (no per-command timeout) or with a raw
 * socket and a pre-encoded command. Prints one JSON line: CPU as a fraction
 * of a core, GETs sent, lateness p50/p99. The floor beside which
 * bench/harnessCpu.ts puts the harness.
 */
import { connect } from 'node:net';
import { createClient } from 'redis';
import { ioEnded, ioStarted, sleepUntil, startTimer, stopTimer } from '../src/load/preciseTimer.ts';
import { createRng } from '../src/workload/rng.ts';

const [kind, port, rate, seconds] = [
  process.argv[2],
  Number(process.argv[3]),
  Number(process.argv[4]),
  Number(process.argv[5]),
];

/** Sends one GET; resolves on its reply. */
type Get = () => Promise<unknown>;

async function nodeRedis(): Promise<{ get: Get; close: () => Promise<void> }> {
  const client = createClient({ url: `redis://127.0.0.1:${port}` });
  await client.connect();
  await client.set('floor', 'x'.repeat(200));
  const bare = client.withCommandOptions({ timeout: 0 });
  return { get: () => bare.get('floor'), close: () => client.close() };
}

async function socket(): Promise<{ get: Get; close: () => Promise<void> }> {
  const s = connect(port, '127.0.0.1');
  await new Promise((resolve) => s.once('connect', resolve));
  s.setNoDelay(true);
  // A missing key answers "$-1\r\n": five bytes a reply, in order.
  const command = Buffer.from('*2\r\n$3\r\nGET\r\n$10\r\nfloor:none\r\n');
  const waiting: Array<() => void> = [];
  let bytes = 0;
  s.on('data', (chunk: Buffer) => {
    for (bytes += chunk.length; bytes >= 5; bytes -= 5) waiting.shift()?.();
  });
  return {
    get: () =>
      new Promise<void>((resolve) => {
        waiting.push(resolve);
        s.write(command);
      }),
    close: async () => void s.destroy(),
  };
}

await startTimer('wait');
const { get, close } = kind === 'socket' ? await socket() : await nodeRedis();
const rng = createRng(1);
const lateness: number[] = [];
const start = performance.now() + 200;
const end = start + seconds * 1000;
let pending = 0;
let cpu0 = process.cpuUsage();
let next = start;
await sleepUntil(start);
cpu0 = process.cpuUsage();
while (next < end) {
  const now = performance.now();
  if (next > now) {
    await sleepUntil(next);
    continue;
  }
  lateness.push(now - next);
  pending++;
  ioStarted();
  void get().then(() => {
    pending--;
    ioEnded();
  });
  next += rng.exponential(1000 / rate);
}
const cpu = process.cpuUsage(cpu0);
const wall = performance.now() - start;
while (pending > 0) await new Promise((resolve) => setTimeout(resolve, 5));
await close();
await stopTimer();
lateness.sort((a, b) => a - b);
const q = (p: number) => Number((lateness[Math.floor(p * (lateness.length - 1))] ?? 0).toFixed(3));
console.log(
  JSON.stringify({
    kind,
    rate,
    gets: lateness.length,
    cpuCores: Number(((cpu.user + cpu.system) / 1000 / wall).toFixed(3)),
    latenessP50Ms: q(0.5),
    latenessP99Ms: q(0.99),
  }),
);
