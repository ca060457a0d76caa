/** The stampede table's notes on hand-made rows (pure logic). */
import { describe, expect, it } from 'vitest';
import { type StampedeRow, stampedeTable } from '../../src/suites/stampedeTable.ts';

const row = (over: Partial<StampedeRow>) =>
  ({
    strategy: 'xfetch:1',
    ttlMs: 250,
    hotKeys: 4,
    windowMs: 3000,
    lengthened: false,
    expiries: 40,
    loads: 60,
    loadsPerExpiry: 1.5,
    loadsPerExpiryInterval: null,
    predictedLoadsPerExpiry: null,
    lockWaits: 0,
    hits: 1000,
    cacheReads: 1000,
    hitRatio: 0.99,
    p99Ms: 5,
    loadMs: 10,
    harness: { cpuCores: 0.1, lateness: null, sourceDelay: {}, pool: {}, bottleneck: null },
    ...over,
  }) as unknown as StampedeRow;

describe('stampede table', () => {
  it('says how many of an XFetch row’s loads were early recomputes, so loads per expiry is read right', () => {
    const { notes } = stampedeTable({ rows: [row({ earlyRecomputes: 25 })] });
    expect(notes).toContain(
      'xfetch:1 at TTL 250ms: 25 of its 60 loads were early recomputes before the key expired, counted in loads per expiry against the 40 expiries that did happen',
    );
  });

  it('says when no key expired at all, and nothing for a row without early recomputes', () => {
    const quiet = stampedeTable({ rows: [row({ earlyRecomputes: 94, loads: 94, expiries: 0, loadsPerExpiry: null })] });
    expect(quiet.notes.join('\n')).toMatch(/all 94 loads were early recomputes — no key expired in the window/);
    const lock = stampedeTable({ rows: [row({ strategy: 'lock', earlyRecomputes: 0 })] });
    expect(lock.notes.join('\n')).not.toMatch(/early recomputes/);
  });
});
