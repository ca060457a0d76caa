/**
 * The harness measuring itself, per row: its own CPU over the window, how
 * late the open loop's sends left, whether the source's injected delay was
 * what was asked, and how the source's pool queued. A row where the harness
 * rather than Redis or the source set the pace says so (`bottleneck`).
 */
import type { Source } from '../source/source.ts';
import { newLatencyHistogram, percentileMs, recordMs } from './latencyHistogram.ts';

export interface HarnessReport {
  /** Process CPU (user + system) over the window, as a fraction of one core. */
  cpuCores: number;
  /** How late open-loop sends left their intended time; null in closed loop. */
  lateness: { p50Ms: number; p99Ms: number; maxMs: number } | null;
  /** The source's injected delay: asked (mean) against achieved; null percentiles when no query ran. */
  sourceDelay: { requestedMs: number; p50Ms: number | null; p99Ms: number | null };
  pool: { size: number; waitP99Ms: number | null; maxQueue: number };
  /** Why the harness, not the system under test, may have set the figures; null when it did not. */
  bottleneck: string | null;
}

/** Over 1% of sends this late, or more CPU than this, and the row is flagged. */
const VERY_LATE_SHARE = 0.01;
const CPU_LIMIT = 0.8;

export class HarnessProbe {
  private readonly lateness = newLatencyHistogram();
  private cpu = process.cpuUsage();
  private wall = performance.now();

  constructor(private readonly source: Source) {}

  /** At the window's start: counts from here. */
  start(): void {
    this.cpu = process.cpuUsage();
    this.wall = performance.now();
    this.lateness.reset();
    this.source.timing.reset();
    this.source.pool.maxQueue = this.source.pool.queued;
  }

  /** Every measured open-loop send. */
  sent(latenessMs: number): void {
    recordMs(this.lateness, latenessMs);
  }

  finish(sends: { measured: number; veryLate: number; open: boolean }): HarnessReport {
    const cpu = process.cpuUsage(this.cpu);
    const wallMs = Math.max(1, performance.now() - this.wall);
    const cpuCores = (cpu.user + cpu.system) / 1000 / wallMs;
    const { timing, pool } = this.source;
    const lateness =
      sends.open && this.lateness.totalCount > 0
        ? {
            p50Ms: percentileMs(this.lateness, 50) as number,
            p99Ms: percentileMs(this.lateness, 99) as number,
            maxMs: this.lateness.maxValue / 1000,
          }
        : null;
    const share = sends.measured > 0 ? sends.veryLate / sends.measured : 0;
    const reasons: string[] = [];
    if (share > VERY_LATE_SHARE) reasons.push(`${(share * 100).toFixed(1)}% of sends left over 5 ms late`);
    if (cpuCores > CPU_LIMIT) reasons.push(`the harness used ${cpuCores.toFixed(2)} of a core`);
    return {
      cpuCores,
      lateness,
      sourceDelay: {
        requestedMs: this.source.requestedDelayMs,
        p50Ms: percentileMs(timing.delay, 50),
        p99Ms: percentileMs(timing.delay, 99),
      },
      pool: { size: pool.size, waitP99Ms: percentileMs(timing.poolWait, 99), maxQueue: pool.maxQueue },
      bottleneck: reasons.length > 0 ? `harness-bound: ${reasons.join(' and ')}` : null,
    };
  }
}

/**
 * Rows measured in parts (load workers, or machines merged afterwards): the
 * worst part's lateness, waits and CPU (a worker thread's reading is the
 * whole process's: process.cpuUsage counts every thread), pool sizes summed.
 */
export function mergeHarnessReports(reports: readonly HarnessReport[], part: string): HarnessReport {
  const worst = (values: (number | null | undefined)[]) => {
    const known = values.filter((v): v is number => typeof v === 'number');
    return known.length > 0 ? Math.max(...known) : null;
  };
  const late = reports.map((r) => r.lateness).filter((l) => l !== null);
  const first = reports[0] as HarnessReport;
  const reasons = reports.flatMap((r, w) => (r.bottleneck ? [`${part} ${w}: ${r.bottleneck}`] : []));
  return {
    cpuCores: worst(reports.map((r) => r.cpuCores)) as number,
    lateness:
      late.length === 0
        ? null
        : {
            p50Ms: worst(late.map((l) => l.p50Ms)) as number,
            p99Ms: worst(late.map((l) => l.p99Ms)) as number,
            maxMs: worst(late.map((l) => l.maxMs)) as number,
          },
    sourceDelay: {
      requestedMs: first.sourceDelay.requestedMs,
      p50Ms: worst(reports.map((r) => r.sourceDelay.p50Ms)),
      p99Ms: worst(reports.map((r) => r.sourceDelay.p99Ms)),
    },
    pool: {
      size: reports.reduce((sum, r) => sum + r.pool.size, 0),
      waitP99Ms: worst(reports.map((r) => r.pool.waitP99Ms)),
      maxQueue: reports.reduce((sum, r) => sum + r.pool.maxQueue, 0),
    },
    bottleneck: reasons.length > 0 ? reasons.join('; ') : null,
  };
}
