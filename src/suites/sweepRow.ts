/**
 * How a ttl-sweep row is measured: in this thread, or offered from the run's
 * load worker threads (`--workers`), which build the same row from its
 * description.
 */
import { formatTtl } from '../config/duration.ts';
import type { TtlMs } from '../config/types.ts';
import type { LoadWindow } from '../load/drivers.ts';
import type { KeySampler } from '../workload/keySampler.ts';
import type { Rng } from '../workload/rng.ts';
import { required, type SuiteContext } from './context.ts';
import type { LoadShape, ReadRunResult } from './readRun.ts';
import { rowKeyPrefix, rowService } from './rows.ts';

/** The row in this thread, or offered from the run's load worker threads (`--workers`). */
export function measureSweepRow(
  ctx: SuiteContext,
  row: { index: number; ttlMs: TtlMs; rng: Rng; sampler: KeySampler; load: LoadShape; window: LoadWindow },
): Promise<ReadRunResult> {
  const { settings } = ctx;
  const { index, ttlMs, rng, sampler, load, window } = row;
  const label = `ttl-sweep ttl=${formatTtl(ttlMs)}`;
  if (ctx.lab.workers <= 1) {
    const { source, service } = rowService(ctx, { suite: 'ttl-sweep', index, ttlMs, rng });
    return ctx.lab.measureRow(label, { service, source, sampler, load, window, rng, crossCheckSource: true });
  }
  return ctx.lab.measureInWorkers(label, {
    suite: 'ttl-sweep',
    index,
    keyPrefix: rowKeyPrefix(ctx, 'ttl-sweep', index),
    ttlMs,
    slidingTtl: settings.slidingTtl,
    ttlJitterPct: settings.ttlJitterPct,
    dist: required(settings, 'dist'),
    keys: required(settings, 'keys'),
    load,
    window,
    sourceLatency: settings.sourceLatency ?? { kind: 'fixed', ms: 0 },
    sourcePool: settings.sourcePool ?? 10,
  });
}
