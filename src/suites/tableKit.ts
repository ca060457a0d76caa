/** Pieces of tables every suite uses: the TTL column, harness warnings, small-sample marks. */
import { formatTtl } from '../config/duration.ts';
import type { TtlMs } from '../config/types.ts';
import type { HarnessReport } from '../metrics/harness.ts';
import { fmtPlusMinus } from '../metrics/intervalFormat.ts';
import type { FigureSummary } from './repeats.ts';

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

/**
 * One figure's cell: `median ± half` of its interval when the row has
 * `--repeat` passes, else the figure as `format` writes it. `field` is the
 * figure's path in the row (`p99Ms`, `service.p99Ms`).
 */
export function figure(row: object, field: string, format: (value: number | null) => string): string {
  const s = (row as { summary?: Record<string, FigureSummary> }).summary?.[field];
  if (s) return fmtPlusMinus(s.median, s, format);
  let node: unknown = row;
  for (const part of field.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  return format(typeof node === 'number' ? node : null);
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
