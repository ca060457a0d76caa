/**
 * Which version of each row the source holds, and when each version was
 * written: the harness is the only writer of the rows it owns, so it knows
 * both exactly, without asking the database on the measured path. A hit is
 * stale when the source has moved past the cached version; its stale age is
 * how long ago the first newer version was written.
 */
export class VersionLog {
  /** id → (version → epoch ms it was written). */
  private readonly writtenAt = new Map<number, number[]>();

  /** `initial`: the version every row was seeded with (0 for a user's table without a version column). */
  constructor(private readonly initial = 1) {}

  record(id: number, version: number, atEpochMs: number): void {
    const times = this.writtenAt.get(id) ?? [];
    times[version] = atEpochMs;
    this.writtenAt.set(id, times);
  }

  current(id: number): number {
    const times = this.writtenAt.get(id);
    return times === undefined ? this.initial : times.length - 1;
  }

  /** Epoch ms at which `version` was written, undefined when it never was. */
  writtenAtOf(id: number, version: number): number | undefined {
    return this.writtenAt.get(id)?.[version];
  }
}
