/**
 * The open loop's ceiling, side by side in one run: ttl-sweep rows of hits
 * (no TTL, 1,000 warmed keys, no source delay) offered at rising rates
 * (10,000/s, 20,000/s, 30,000/s, …) until the loop no longer keeps up — achieved under 95% of
 * offered, or reads falling back because replies queued past the Redis
 * timeout — with `--workers 1` and `--workers 2`, against a throwaway single
 * redis-server and a throwaway 3-master cluster; then redis-benchmark GET on
 * the same servers for scale. Each row is a real `bench/cli.ts` process.
 *
 *   node --import tsx bench/scaleOut.ts [highest offered reads/s, default 160000] [measured seconds, default 2]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisServer } from '../src/redis/redisServer.ts';
import { startThrowawayCluster } from '../src/redis/throwawayCluster.ts';
import type { TtlSweepRow } from '../src/suites/ttlSweep.ts';

const highest = Number(process.argv[2] ?? 160_000);
const seconds = Number(process.argv[3] ?? 2);
/** Offered rates, in turn until the loop no longer keeps up. */
const RATES = [10_000, 20_000, 30_000, 40_000, 60_000, 80_000, 120_000, 160_000];
const dir = mkdtempSync(join(tmpdir(), 'cab-scale-'));
const single = await startRedisServer();
const cluster = await startThrowawayCluster(3);
try {
  console.log(
    `load average before: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (${process.env.HOSTNAME ?? ''})`,
  );
  console.log(
    `each rate for ${seconds} s after a 500 ms warm-up; every read a hit; kept up = achieved >= 95% and no fallbacks`,
  );
  console.log(
    '| target | workers | offered/s | achieved reads/s | per worker | hit ratio | fallbacks | p50 ms | p99 ms | kept up |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const [name, url] of [
    ['single redis-server', single.url],
    ['3-master cluster', cluster.seeds],
  ] as const) {
    for (const workers of [1, 2]) {
      for (const offered of RATES.filter((rate) => rate <= highest)) {
        const { line, keptUp } = measure(name, url, workers, offered);
        console.log(line);
        if (!keptUp) break;
      }
    }
  }
  console.log('\nredis-benchmark -t get -n 200000 -c 64 -P 1 (its own C client, for scale)');
  const common = ['-t', 'get', '-n', '200000', '-c', '64', '-P', '1', '-q', '--csv'];
  console.log(`  single: ${benchmark(['-p', String(single.port), ...common])}`);
  console.log(`  cluster: ${benchmark(['--cluster', '-p', String(cluster.ports[0]), ...common])}`);
  console.log(
    `load average after: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
} finally {
  await cluster.stop();
  await single.stop();
  rmSync(dir, { recursive: true, force: true });
}

function measure(name: string, url: string, workers: number, offered: number): { line: string; keptUp: boolean } {
  const json = join(dir, `${name.replace(/\W/g, '')}-${workers}.json`);
  const args = ['ttl-sweep', '--ttl', 'none', '--keys', '1000', '--source-latency', '0ms', '--rate', String(offered)];
  args.push('--warmup', '500ms', '--duration', `${seconds}s`, '--redis-url', url, '--workers', String(workers));
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/cli.ts', ...args, '--no-save', '--json', json], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (run.status !== 0) {
    const why = run.stderr.trim().split('\n').at(-1);
    return { line: `| ${name} | ${workers} | ${offered} | failed (exit ${run.status}): ${why} |`, keptUp: false };
  }
  const row = JSON.parse(readFileSync(json, 'utf8')).suites['ttl-sweep'].rows[0] as TtlSweepRow;
  const n = (v: number) => Math.round(v).toLocaleString('en-US');
  const each = row.load.perWorkerRates.map(n).join(' + ');
  const keptUp = row.readsPerSec >= 0.95 * offered && row.counts.fallback === 0;
  const cells = [name, workers, n(offered), n(row.readsPerSec), each, row.hitRatio?.toFixed(3), row.counts.fallback];
  cells.push(row.p50Ms.toFixed(2), row.p99Ms.toFixed(1), keptUp ? 'yes' : 'no');
  return { line: `| ${cells.join(' | ')} |`, keptUp };
}

function benchmark(args: string[]): string {
  const out = spawnSync('redis-benchmark', ['-h', '127.0.0.1', ...args], { encoding: 'utf8' }).stdout;
  const line = out.split('\n').find((l) => /^"GET"/.test(l));
  return line
    ? `GET ${Math.round(Number(line.split(',')[1]?.replace(/"/g, ''))).toLocaleString('en-US')}/s`
    : 'no result';
}
