/** Pieces of tables every suite uses: the TTL column, harness warnings, small-sample marks. */
import { formatTtl } from '../config/duration.ts';
import type { TtlMs } from '../config/types.ts';
import type { HarnessReport } from '../metrics/harness.ts';

/** `0 (no cache)`, `none`, `250ms`. */
export function ttlCell(ttlMs: TtlMs): string {
  return ttlMs === 0 ? '0 (no cache)' : formatTtl(ttlMs);
}

/** One line per row where the harness, not Redis or the source, set the pace. */
export function harnessNotes(rows: readonly { harness?: HarnessReport }[], label: (index: number) => string): string[] {
  return rows.flatMap((row, i) =>
    row.harness?.bottleneck == null
      ? []
      : [`${label(i)}: ${row.harness?.bottleneck}; its latency columns measure the harness, not Redis`],
  );
}

/** The line the issue asked for, one per row that evicted: memory, not the TTL, limited its hit ratio. */
export function capacityNotes(
  rows: readonly { evictedKeys?: number | null; residentKeys?: number | null }[],
  label: (index: number) => string,
): string[] {
  return rows.flatMap((row, i) => {
    const evicted = row.evictedKeys ?? 0;
    if (evicted <= 0) return [];
    const resident = row.residentKeys == null ? '' : ` (${row.residentKeys.toLocaleString('en-US')} keys resident)`;
    return [
      `${label(i)}: capacity-bound: ${evicted.toLocaleString('en-US')} evictions; hit ratio limited by memory, not TTL${resident}`,
    ];
  });
}
