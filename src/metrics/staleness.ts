/**
 * Stale-read detection. Every cached value carries its row version; a hit is
 * stale when the source has moved past that version. Its age is how long ago
 * the first newer version was written — exact, because every write the
 * harness makes is logged (source/versionLog.ts).
 */
import type { Source } from '../source/source.ts';

export class StaleTracker {
  stale = 0;
  checked = 0;
  maxAgeMs: number | null = null;

  constructor(
    private readonly source: Pick<Source, 'versions'>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Checks one hit against the source; returns its stale age in ms, or null when it was fresh. */
  checkHit(id: number, cachedVersion: number): number | null {
    this.checked++;
    const versions = this.source.versions;
    if (versions.current(id) <= cachedVersion) return null;
    this.stale++;
    const changed = versions.writtenAtOf(id, cachedVersion + 1) ?? this.now();
    const age = Math.max(0, this.now() - changed);
    this.maxAgeMs = Math.max(this.maxAgeMs ?? 0, age);
    return age;
  }
}
