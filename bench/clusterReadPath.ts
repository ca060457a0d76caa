/**
 * The cache-hit read path on a Redis Cluster against bare GETs, N in flight
 * (64 by default): paired throughput ratios (alternating slices, median of
 * rounds, as src/suites/throughputRatio.ts), each variant's rate and the
 * client CPU it costs per read, then redis-benchmark on the same servers for
 * scale. Starts a throwaway redis-server and a throwaway 3-master cluster.
 *
 *   node --expose-gc --import tsx bench/clusterReadPath.ts [concurrency] [rounds]
 */
import { spawnSync } from 'node:child_process';
import { CacheAsideService } from '../src/cache/cacheAside.ts';
import { newCacheCounters } from '../src/cache/counters.ts';
import { CachedEntry, encodeEntry } from '../src/cache/entry.ts';
import { parseRedisSeeds } from '../src/config/redisSeeds.ts';
import { runClosedLoop } from '../src/load/drivers.ts';
import type { CacheStore } from '../src/redis/cacheStore.ts';
import { openClusterSession } from '../src/redis/clusterSession.ts';
import { DEFAULT_COMMAND_TIMEOUT_MS } from '../src/redis/connection.ts';
import { openRedisSession } from '../src/redis/redisSession.ts';
import { startThrowawayCluster } from '../src/redis/throwawayCluster.ts';
import { Source } from '../src/source/source.ts';
import { SqliteDriver } from '../src/source/sqliteDriver.ts';
import { pairedThroughputRatio } from '../src/suites/throughputRatio.ts';
import { createRng } from '../src/workload/rng.ts';

const concurrency = Number(process.argv[2] ?? 64);
const rounds = Number(process.argv[3] ?? 10);
const HOT_KEYS = 1000;
/** Hit-path reads that were hits, and that were not (a miss or an error would make the row impure). */
let hits = 0;
let notHits = 0;

const throwaway = await startThrowawayCluster(3);
const cluster = await openClusterSession(parseRedisSeeds(throwaway.seeds, '--redis-url'), {}, throwaway);
const single = await openRedisSession({ kind: 'throwaway' });
const driver = new SqliteDriver();
try {
  await driver.seed(HOT_KEYS, 1);
  const source = new Source(driver, { poolSize: 100 });
  const rng = createRng(1).fork('keys');
  const pick = () => 1 + Math.floor(rng.next() * HOT_KEYS);
  const clusterKeys = Array.from({ length: HOT_KEYS + 1 }, (_, id) => `${cluster.prefix}p:${id}`);
  const singleKeys = Array.from({ length: HOT_KEYS + 1 }, (_, id) => `${single.prefix}p:${id}`);
  for (let id = 1; id <= HOT_KEYS; id++) {
    // The value a miss would store: the source's row behind the entry header.
    const row = await driver.read(id);
    if (!row) throw new Error(`row ${id} missing`);
    const entry = encodeEntry(row, 1, null);
    await cluster.store.set(clusterKeys[id] as string, entry);
    await single.store.set(singleKeys[id] as string, entry);
  }
  // Today's service on a single server, reading the same keys.
  const today = new CacheAsideService({
    store: single.store,
    source,
    counters: newCacheCounters(),
    keyPrefix: `${single.prefix}p:`,
    ttlMs: null,
  });
  const bare = cluster.cluster.withCommandOptions({ timeout: 0 });
  const timed = cluster.cluster.withCommandOptions({ timeout: DEFAULT_COMMAND_TIMEOUT_MS });
  const variants: Record<string, () => Promise<unknown>> = {
    'cluster hit path (store)': hitPath(cluster.store, clusterKeys, pick),
    'cluster routed GET (store.rawGet)': () => cluster.store.rawGet(clusterKeys[pick()] as string),
    'cluster bare GET (node-redis, no timeout)': () => bare.get(clusterKeys[pick()] as string),
    'cluster GET (node-redis, 500 ms timeout)': () => timed.get(clusterKeys[pick()] as string),
    'single hit path (store)': hitPath(single.store, singleKeys, pick),
    'single hit path (CacheAsideService today)': () => today.get(pick()),
    'single bare GET (rawGet)': () => single.store.rawGet(singleKeys[pick()] as string),
  };

  // Every variant in turn, round after round: drift on a shared machine lands on all of them.
  // node-redis's timeout arms a 500 ms timer per command that fires even after the reply: a
  // 600 ms warm-up puts its window in the steady state, and CPU is read after a 600 ms drain,
  // so each variant pays for its own timers and not the next one (and for its garbage, with --expose-gc).
  console.log(`${concurrency} in flight; median over ${rounds} interleaved rounds (600 ms warm-up, 400 ms measured)`);
  const samples = new Map<string, { rate: number[]; cpu: number[] }>();
  for (let round = 0; round < rounds; round++) {
    for (const [name, fn] of Object.entries(variants)) {
      let reads = 0;
      const cpu = process.cpuUsage();
      const report = await runClosedLoop(
        concurrency,
        { warmupMs: 600, durationMs: 400 },
        {
          send: fn,
          done() {
            reads++;
          },
        },
      );
      await new Promise((resolve) => setTimeout(resolve, 600));
      // With --expose-gc, the garbage a variant made is collected on its own account too.
      (globalThis as { gc?: () => void }).gc?.();
      const used = process.cpuUsage(cpu);
      const sample = samples.get(name) ?? { rate: [], cpu: [] };
      sample.rate.push(report.achievedRate);
      sample.cpu.push((used.user + used.system) / reads);
      samples.set(name, sample);
    }
  }
  for (const [name, { rate, cpu }] of samples) {
    console.log(`  ${name}: ${Math.round(median(rate))} reads/s, ${median(cpu).toFixed(1)} µs client CPU/read`);
  }

  // Not the timeout variant: its timers would fire in the other side's slice.
  console.log(`paired ratios (median of ${rounds} alternating rounds of 400 ms)`);
  const pairs: [string, string][] = [
    ['cluster hit path (store)', 'cluster bare GET (node-redis, no timeout)'],
    ['cluster hit path (store)', 'cluster routed GET (store.rawGet)'],
    ['single hit path (store)', 'single hit path (CacheAsideService today)'],
    ['single hit path (store)', 'single bare GET (rawGet)'],
  ];
  for (const [a, b] of pairs) {
    const paired = await pairedThroughputRatio(variants[a] as () => Promise<unknown>, variants[b] as never, {
      concurrency,
      rounds,
      sliceMs: 400,
    });
    const spread = paired ? `${pct(Math.min(...paired.rounds))}–${pct(Math.max(...paired.rounds))}` : '';
    console.log(`  ${a} / ${b}: ${paired ? pct(paired.ratio) : '—'} (rounds ${spread})`);
  }

  console.log(
    `hit-path reads: ${hits} hits, ${notHits} not hits; stalls (no reply within ${DEFAULT_COMMAND_TIMEOUT_MS} ms, connection replaced): cluster ${cluster.store.stalls}, single ${single.store.stalls}`,
  );
  console.log('redis-benchmark -t get,set -n 200000 -c 64 (-P 1 and -P 16)');
  for (const pipeline of ['1', '16']) {
    const common = ['-t', 'get,set', '-n', '200000', '-c', '64', '-P', pipeline, '-q', '--csv'];
    console.log(`  single, -P ${pipeline}: ${benchmark(['-p', String(new URL(single.target.url).port), ...common])}`);
    console.log(`  cluster, -P ${pipeline}: ${benchmark(['--cluster', '-p', String(throwaway.ports[0]), ...common])}`);
  }
} finally {
  await cluster.close();
  await single.close();
  await driver.close();
}

/** The cache-hit path as CacheAsideService.get does it over a store: one read, a counter, one small object. */
function hitPath(store: CacheStore, keys: string[], pick: () => number): () => Promise<unknown> {
  const onReply = (raw: string | null) => {
    if (raw === null) {
      notHits++;
      return null;
    }
    hits++;
    return new CachedEntry(raw);
  };
  const onError = () => {
    notHits++;
    return null;
  };
  return () => store.read(keys[pick()] as string, null, onReply, onError);
}

function benchmark(args: string[]): string {
  const out = spawnSync('redis-benchmark', ['-h', '127.0.0.1', ...args], { encoding: 'utf8' }).stdout;
  return out
    .split('\n')
    .filter((line) => /^"(GET|SET)"/.test(line))
    .map((line) => {
      const [test, rps] = line.split(',').map((cell) => cell.replace(/"/g, ''));
      return `${test} ${Math.round(Number(rps))}/s`;
    })
    .join(', ');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function pct(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`;
}
