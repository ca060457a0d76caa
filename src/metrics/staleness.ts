/**
 * Stale-read detection. Every cached value carries its row version; a hit is
 * stale when the source has moved past that version. Its age is how long ago
 * the first newer version was written — exact, because every write is logged.
 */
import type { ProductRow, SqliteSource } from '../source/sqliteSource.ts';

export class StaleTracker {
  stale = 0;
  checked = 0;
  maxAgeMs: number | null = null;
  /** id → (version → epoch ms it was written). */
  private readonly writtenAt = new Map<number, number[]>();

  constructor(
    private readonly source: SqliteSource,
    private readonly now: () => number = Date.now,
  ) {}

  /** Logs a write the harness made. */
  recordWrite(row: ProductRow | undefined): void {
    if (!row) return;
    const times = this.writtenAt.get(row.id) ?? [];
    times[row.version] = row.updated_at;
    this.writtenAt.set(row.id, times);
  }

  /** Checks one hit against the source; returns its stale age in ms, or null when it was fresh. */
  checkHit(id: number, cachedVersion: number): number | null {
    this.checked++;
    const current = this.source.currentVersion(id);
    if (!current || current.version <= cachedVersion) return null;
    this.stale++;
    const changed = this.writtenAt.get(id)?.[cachedVersion + 1] ?? current.updated_at;
    const age = Math.max(0, this.now() - changed);
    this.maxAgeMs = Math.max(this.maxAgeMs ?? 0, age);
    return age;
  }
}
