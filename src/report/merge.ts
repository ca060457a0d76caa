/**
 * `npm run merge`: snapshots of one configuration, taken at the same time on
 * several load machines against one Redis (Cluster), combined into the
 * snapshot one machine offering all the load would have written. Pure: the
 * files are read and written by bench/merge.ts.
 *
 * - The configurations must match except the seed (each machine draws its
 *   own stream) and where Redis was (each machine names its own seed node):
 *   anything else is a UsageError naming the first difference.
 * - Each machine's run keeps its own keys (its own run prefix, removed at its
 *   end), so the merged row is N caches on one server or cluster, each under
 *   its machine's share of the load, while the server carries the sum.
 * - ttl-sweep rows: HDR histograms added (exact), counts and rates summed,
 *   the hit ratio recomputed from the summed counts; the prediction is the
 *   inputs' own (each at its machine's rate), weighted like the hit ratio,
 *   predicted source reads summed; Δ averaged over the misses.
 *   Redis INFO counts every client of the server, so each machine's window
 *   already saw all machines' reads: the merged server ratio is their
 *   reads-weighted mean, not a sum.
 * - Other suites are not merged (their rows are per-process experiments:
 *   stampede herds, freshness writers); they are left out and named, and so
 *   is the run's answer, which was chosen from one machine's figures.
 */
import type { ReadOutcome } from '../cache/cacheAside.ts';
import { UsageError } from '../errors.ts';
import { mergeHarnessReports } from '../metrics/harness.ts';
import { decodeHistogram, encodeHistogram, newLatencyHistogram, summarize } from '../metrics/latencyHistogram.ts';
import type { TtlSweepResult, TtlSweepRow } from '../suites/ttlSweep.ts';
import type { Snapshot, SuiteSection } from './snapshotFormat.ts';

export interface NamedSnapshot {
  file: string;
  snapshot: Snapshot;
}

export interface MergeOutcome {
  snapshot: Snapshot;
  /** Suites present in the inputs that were left out. */
  skipped: string[];
}

/** Settings of `config` that may differ between the machines of one merged run. */
const MAY_DIFFER = new Set(['seed', 'redis']);
const MERGEABLE = new Set(['ttl-sweep']);
const OUTCOMES: readonly ReadOutcome[] = ['hit', 'miss', 'uncached', 'fallback'];

export function mergeSnapshots(inputs: readonly NamedSnapshot[]): MergeOutcome {
  if (inputs.length < 2) throw new UsageError(`merge needs at least two snapshots, got ${inputs.length}`);
  const [first, ...rest] = inputs as [NamedSnapshot, ...NamedSnapshot[]];
  for (const other of rest) assertSameConfiguration(first, other);
  const base = first.snapshot;
  const skipped = base.suitesRun.filter((name) => !MERGEABLE.has(name));
  const suites: Record<string, SuiteSection> = {};
  const sweep = base.suites['ttl-sweep'];
  if (sweep) {
    const sections = inputs.map((i) => i.snapshot.suites['ttl-sweep'] as unknown as TtlSweepResult);
    suites['ttl-sweep'] = { settings: sweep.settings, ...mergeSweep(sections, inputs) } as SuiteSection;
  }
  const snaps = inputs.map((i) => i.snapshot);
  const sum = (pick: (s: Snapshot) => number) => snaps.reduce((total, s) => total + pick(s), 0);
  // The answer was chosen from one machine's figures and suites; the merged run has none (yet).
  const { answer: _oneMachines, ...unanswered } = base;
  const snapshot: Snapshot = {
    ...unanswered,
    createdAt: snaps
      .map((s) => s.createdAt)
      .sort()
      .at(-1) as string,
    status: snaps.some((s) => s.status === 'degraded') ? 'degraded' : base.status,
    durationSec: Math.max(...snaps.map((s) => s.durationSec)),
    config: {
      ...base.config,
      redis: [...new Set(snaps.map((s) => String(s.config.redis)))].join(' + '),
      mergedFrom: inputs.map(({ file, snapshot: s }) => ({
        file,
        createdAt: s.createdAt,
        seed: s.config.seed,
        redis: s.config.redis,
        cpu: s.env.cpu,
      })),
    },
    errors: {
      redis: sum((s) => s.errors.redis),
      source: sum((s) => s.errors.source),
      connection: sum((s) => s.errors.connection),
    },
    suitesRun: base.suitesRun.filter((name) => MERGEABLE.has(name)),
    suites,
  };
  return { snapshot, skipped };
}

function assertSameConfiguration(a: NamedSnapshot, b: NamedSnapshot): void {
  const differ = (where: string, x: unknown, y: unknown) =>
    new UsageError(
      `${a.file} and ${b.file} differ in ${where}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}: merge combines snapshots of one configuration (only the seed and the Redis host may differ)`,
    );
  const suites = (s: Snapshot) => s.suitesRun.join(',');
  if (suites(a.snapshot) !== suites(b.snapshot)) throw differ('suites', a.snapshot.suitesRun, b.snapshot.suitesRun);
  const records: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ['config', a.snapshot.config, b.snapshot.config],
    ...a.snapshot.suitesRun.map(
      (name) =>
        [name, a.snapshot.suites[name]?.settings ?? {}, b.snapshot.suites[name]?.settings ?? {}] as [
          string,
          Record<string, unknown>,
          Record<string, unknown>,
        ],
    ),
  ];
  for (const [where, x, y] of records) {
    for (const key of new Set([...Object.keys(x), ...Object.keys(y)])) {
      if (where === 'config' && MAY_DIFFER.has(key)) continue;
      if (JSON.stringify(x[key]) !== JSON.stringify(y[key])) throw differ(`${where}.${key}`, x[key], y[key]);
    }
  }
}

function mergeSweep(sections: TtlSweepResult[], inputs: readonly NamedSnapshot[]): TtlSweepResult {
  const first = sections[0] as TtlSweepResult;
  const rows = first.rows.map((_, index) => {
    const parts = sections.map((section, s) => {
      const row = section.rows[index];
      if (!row?.counts || !row.serviceHistogram) {
        throw new UsageError(
          `${inputs[s]?.file}: ttl-sweep row ${index + 1} has no outcome counts or service histogram (written before merge existed): run it again`,
        );
      }
      return row;
    });
    return mergeSweepRow(parts);
  });
  return { rows };
}

function mergeSweepRow(parts: TtlSweepRow[]): TtlSweepRow {
  const row = parts[0] as TtlSweepRow;
  const sum = (pick: (r: TtlSweepRow) => number) => parts.reduce((total, r) => total + pick(r), 0);
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, sum((r) => r.counts[o])])) as TtlSweepRow['counts'];
  const cacheReads = counts.hit + counts.miss + counts.fallback;
  const all = addHistograms(parts.map((r) => r.histogram));
  const service = addHistograms(parts.map((r) => r.serviceHistogram));
  const latency = summarize(all);
  const serviceSummary = summarize(service);
  const reads = sum((r) => r.reads);
  const misses = sum((r) => (r.loadMs === null ? 0 : r.counts.miss));
  const loadMs = misses > 0 ? sum((r) => (r.loadMs ?? 0) * r.counts.miss) / misses : null;
  const askedRedis = (r: TtlSweepRow) => r.counts.hit + r.counts.miss + r.counts.fallback;
  const predicted = parts.every((r) => r.predictedHitRatio !== null)
    ? sum((r) => (r.predictedHitRatio as number) * askedRedis(r)) / Math.max(1, sum(askedRedis))
    : null;
  const servers = parts.filter((r) => r.serverHitRatio !== null);
  const serverReads = servers.reduce((total, r) => total + r.reads, 0);
  return {
    ...row,
    reads,
    counts,
    hitRatio: row.ttlMs === 0 || cacheReads === 0 ? null : counts.hit / cacheReads,
    predictedHitRatio: row.ttlMs === 0 ? null : predicted,
    serverHitRatio:
      row.ttlMs === 0 || serverReads === 0
        ? null
        : servers.reduce((total, r) => total + (r.serverHitRatio as number) * r.reads, 0) / serverReads,
    p50Ms: latency.p50Ms,
    p95Ms: latency.p95Ms,
    p99Ms: latency.p99Ms,
    p999Ms: latency.p999Ms,
    maxMs: latency.maxMs,
    service: { p50Ms: serviceSummary.p50Ms, p99Ms: serviceSummary.p99Ms },
    readsPerSec: sum((r) => r.readsPerSec),
    sourceReadsPerSec: sum((r) => r.sourceReadsPerSec),
    predictedSourceReadsPerSec: sumOrNull(parts.map((r) => r.predictedSourceReadsPerSec)),
    serverSourceReadsPerSec: sumOrNull(parts.map((r) => r.serverSourceReadsPerSec)),
    // Server memory figures are the one server's, seen alike from every machine (the first's stand);
    // each machine's own keys are its own, so the keys resident at the end add up.
    capacityBound: parts.some((r) => r.capacityBound),
    residentKeys: sumOrNull(parts.map((r) => r.residentKeys)),
    loadMs,
    load: mergeLoads(parts),
    redisErrors: sum((r) => r.redisErrors),
    harness: mergeHarnessReports(
      parts.map((r) => r.harness),
      'snapshot',
    ),
    histogram: encodeHistogram(all),
    serviceHistogram: encodeHistogram(service),
  };
}

function mergeLoads(parts: readonly TtlSweepRow[]): TtlSweepRow['load'] {
  const row = parts[0] as TtlSweepRow;
  const sum = (pick: (r: TtlSweepRow) => number) => parts.reduce((total, r) => total + pick(r), 0);
  return {
    ...row.load,
    targetRate: row.load.targetRate === null ? null : sum((r) => r.load.targetRate ?? 0),
    achievedRate: sum((r) => r.load.achievedRate),
    lateSends: sum((r) => r.load.lateSends),
    veryLateSends: sum((r) => r.load.veryLateSends),
    errors: sum((r) => r.load.errors),
    workers: sum((r) => r.load.workers ?? 1),
    perWorkerRates: parts.flatMap((r) => r.load.perWorkerRates ?? [r.load.achievedRate]),
  };
}

function sumOrNull(values: readonly (number | null)[]): number | null {
  return values.every((v) => v !== null) ? values.reduce((total: number, v) => total + (v as number), 0) : null;
}

function addHistograms(encoded: readonly string[]) {
  const merged = newLatencyHistogram();
  for (const text of encoded) merged.add(decodeHistogram(text));
  return merged;
}
