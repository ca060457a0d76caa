/**
 * What the harness weighs on the machine at 2,000 reads/s, side by side in
 * one run against one throwaway redis-server, each a process of its own:
 *
 * - ttl-sweep rows (open loop, 10 s): TTL none; `--ttl 0 --source-latency 1ms`;
 *   TTL none with `--timer thread` and `--timer spin`; the row's
 *   `harness.cpuCores` (process CPU over the measured window) and the
 *   process's whole CPU less that of the same run at 10 reads/s, per second
 *   of load (warm-up + window) — the two ways of counting it;
 * - the floor (bench/clientFloor.ts): the same Poisson GETs, timed the same
 *   way, from a bare node-redis client and from a raw socket.
 *
 *   npx tsx bench/harnessCpu.ts [rounds, default 2]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisServer } from '../src/redis/redisServer.ts';
import type { TtlSweepRow } from '../src/suites/ttlSweep.ts';

const rounds = Number(process.argv[2] ?? 2);
const RATE = 2000;
const SECONDS = 10;
const WARMUP_MS = 500;
const dir = mkdtempSync(join(tmpdir(), 'cab-cpu-'));
const server = await startRedisServer();

interface Case {
  name: string;
  args: string[];
}
const CASES: Case[] = process.env.FLOOR_ONLY
  ? []
  : [
      { name: 'TTL none', args: ['--ttl', 'none'] },
      { name: 'TTL 0, 1 ms source', args: ['--ttl', '0', '--source-latency', '1ms'] },
      { name: 'TTL none, --timer thread', args: ['--ttl', 'none', '--timer', 'thread'] },
      { name: 'TTL none, --timer spin', args: ['--ttl', 'none', '--timer', 'spin'] },
    ];

/** Runs a command under /usr/bin/time; returns its user + system CPU in seconds and its stdout. */
function timed(command: string, args: string[]): { cpuSec: number; stdout: string } {
  const run = spawnSync('/usr/bin/time', ['-f', 'CPU %U %S', command, ...args], { encoding: 'utf8' });
  const match = /CPU ([\d.]+) ([\d.]+)/.exec(run.stderr);
  if (run.status !== 0 || !match)
    throw new Error(
      `${args.join(' ')} failed (exit ${run.status}, ${run.signal ?? ''} ${run.error?.message ?? ''}): ${run.stderr.trim()}`,
    );
  return { cpuSec: Number(match[1]) + Number(match[2]), stdout: run.stdout };
}

function harness(extra: string[], rate: number): { row: TtlSweepRow; cpuSec: number } {
  const json = join(dir, 'run.json');
  const args = ['--import', 'tsx', 'bench/cli.ts', 'ttl-sweep', ...extra, '--rate', String(rate)];
  args.push('--duration', `${SECONDS}s`, '--warmup', `${WARMUP_MS}ms`, '--redis-url', server.url);
  args.push('--no-save', '--json', json);
  const { cpuSec } = timed(process.execPath, args);
  const row = JSON.parse(readFileSync(json, 'utf8')).suites['ttl-sweep'].rows[0] as TtlSweepRow;
  return { row, cpuSec };
}

function floor(kind: string): string {
  const { stdout } = timed(process.execPath, [
    '--import',
    'tsx',
    'bench/clientFloor.ts',
    kind,
    String(server.port),
    String(RATE),
    String(SECONDS),
  ]);
  const r = JSON.parse(stdout.trim().split('\n').at(-1) as string);
  return `| ${kind} floor (bench/clientFloor.ts) | ${r.cpuCores.toFixed(3)} | — | ${r.latenessP50Ms} | ${r.latenessP99Ms} |`;
}

try {
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  console.log(`load average before: ${load()}; ${RATE} reads/s, ${SECONDS} s windows after ${WARMUP_MS} ms warm-up`);
  console.log('| case | row harness.cpuCores | whole process less a 10 reads/s run | lateness p50 ms | p99 ms |');
  console.log('|---|---|---|---|---|');
  for (let round = 0; round < rounds; round++) {
    for (const c of CASES) {
      const idle = harness(c.args, 10);
      const busy = harness(c.args, RATE);
      const difference = (busy.cpuSec - idle.cpuSec) / (SECONDS + WARMUP_MS / 1000);
      const h = busy.row.harness;
      const cells = [c.name, h.cpuCores.toFixed(3), difference.toFixed(3), h.lateness?.p50Ms, h.lateness?.p99Ms];
      console.log(`| ${cells.join(' | ')} |`);
    }
    console.log(floor('node-redis'));
    console.log(floor('socket'));
  }
  console.log(`load average after: ${load()}`);
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
