import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatTtl } from '../../src/config/duration.ts';
import { fmtMs, fmtPct, fmtRate, fmtRatio } from '../../src/metrics/format.ts';
import { renderChartLinks, writeCharts } from '../../src/report/chartFiles.ts';
import { type Chart, compareCharts, snapshotCharts } from '../../src/report/charts.ts';
import { readSnapshot } from '../../src/report/snapshotFile.ts';
import type { Snapshot } from '../../src/report/snapshotFormat.ts';
import type { FreshnessRow } from '../../src/suites/freshness.ts';
import type { StampedeRow } from '../../src/suites/stampede.ts';
import type { TtlSweepRow } from '../../src/suites/ttlSweep.ts';
import { buildSnapshot } from '../helpers/snapshots.ts';
import {
  allText,
  axis,
  byClass,
  find,
  parseXml,
  points,
  series,
  seriesNamed,
  tickLabels,
  titles,
  type XmlNode,
} from '../helpers/svgTree.ts';

/** The committed default snapshot: the newest in results/default, so a new committed run keeps the test current. */
async function committedSnapshot(): Promise<Snapshot> {
  const dir = fileURLToPath(new URL('../../results/default/', import.meta.url));
  const newest = (await readdir(dir))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .pop();
  if (!newest) throw new Error(`no snapshot in ${dir}`);
  return readSnapshot(join(dir, newest));
}

const sweepRows = (s: Snapshot) => (s.suites['ttl-sweep']?.rows ?? []) as TtlSweepRow[];
const freshRows = (s: Snapshot) => (s.suites.freshness?.rows ?? []) as FreshnessRow[];
const herdRows = (s: Snapshot) => (s.suites.stampede?.rows ?? []) as StampedeRow[];
const ttl = (ttlMs: number | null) => (ttlMs === 0 ? '0 (no cache)' : formatTtl(ttlMs));

let snapshot: Snapshot;
let charts: Chart[];
beforeAll(async () => {
  snapshot = await committedSnapshot();
  charts = snapshotCharts(snapshot);
});

const chart = (name: string): XmlNode => parseXml(charts.find((c) => c.name === name)?.svg ?? '');
describe('the charts of the committed default snapshot', () => {
  it('are the five charts of the issue, each well-formed SVG with a title, both axes and their units', () => {
    expect(charts.map((c) => c.file)).toEqual([
      'hit-ratio.svg',
      'source-reads.svg',
      'latency-percentiles.svg',
      'stale-reads.svg',
      'loads-per-expiry.svg',
    ]);
    const yLabels: Record<string, RegExp> = {
      'hit-ratio': /^hit ratio$/,
      'source-reads': /^source reads\/s$/,
      'latency-percentiles': /^latency \(ms/,
      'stale-reads': /^stale reads \(% of reads\)$/,
      'loads-per-expiry': /^source loads per expiry$/,
    };
    for (const c of charts) {
      const svg = parseXml(c.svg);
      expect(svg.name).toBe('svg');
      expect(svg.attrs.xmlns).toBe('http://www.w3.org/2000/svg');
      expect(allText(svg.children[0] as XmlNode)).toBe(c.title);
      expect(axis(svg, 'x')).toHaveLength(1);
      expect(axis(svg, 'y')[0]?.attrs['data-label']).toMatch(yLabels[c.name] as RegExp);
      // Every visible point or bar tells its value on hover.
      for (const p of [...points(svg), ...find(svg, byClass('cab-bar'))]) {
        expect(p.children.some((k) => k.name === 'title')).toBe(true);
      }
    }
  });

  it('hit ratio: a measured point, a prediction and a Redis INFO mark per cached TTL; none at the right end', () => {
    const rows = sweepRows(snapshot);
    const svg = chart('hit-ratio');
    const cached = rows.filter((r) => r.hitRatio !== null);
    expect(points(seriesNamed(svg, 'measured'))).toHaveLength(cached.length);
    expect(points(seriesNamed(svg, 'predicted (ttl-model.md)'))).toHaveLength(cached.length);
    expect(points(seriesNamed(svg, 'Redis INFO keyspace hits'))).toHaveLength(cached.length);
    for (const r of cached) {
      expect(titles(seriesNamed(svg, 'measured'))).toContain(`TTL ${ttl(r.ttlMs)}: hit ratio ${fmtRatio(r.hitRatio)}`);
    }
    const finite = cached.flatMap((r) => (r.ttlMs === null ? [] : [r.ttlMs])).sort((a, b) => a - b);
    expect(tickLabels(svg)).toEqual([...finite.map(ttl), 'none']);
    // `none` sits right of every finite TTL, past the axis break.
    const xs = points(seriesNamed(svg, 'measured')).map((p) => Number(p.attrs.cx));
    const breakX = Number(find(svg, byClass('cab-break'))[0]?.children[0]?.attrs.x1);
    expect(xs.slice(0, -1).every((x) => x < breakX)).toBe(true);
    expect(xs[xs.length - 1]).toBeGreaterThan(breakX);
  });

  it('source reads/s: the uncached level is a reference line, not a point', () => {
    const rows = sweepRows(snapshot);
    const svg = chart('source-reads');
    const uncached = rows.find((r) => r.ttlMs === 0);
    expect(points(seriesNamed(svg, 'measured'))).toHaveLength(rows.length - 1);
    const refs = find(svg, byClass('cab-ref'));
    expect(refs.map((r) => r.attrs['data-ref'])).toEqual([
      `uncached (TTL 0): ${fmtRate(uncached?.sourceReadsPerSec as number)}/s`,
    ]);
  });

  it('latency: one line per TTL row, marked at 50% to 99.99% with the histogram value', () => {
    const rows = sweepRows(snapshot);
    const svg = chart('latency-percentiles');
    expect(series(svg)).toHaveLength(rows.length);
    expect(tickLabels(svg)).toEqual(['0%', '50%', '90%', '99%', '99.9%', '99.99%']);
    for (const row of rows) {
      const label = `TTL ${ttl(row.ttlMs)}`;
      const marks = titles(seriesNamed(svg, label));
      expect(marks).toHaveLength(5);
      // The row's own p99 was computed from the same histogram when it was measured.
      expect(marks).toContain(`${label}: p99 = ${fmtMs(row.p99Ms)} ms`);
    }
  });

  it('stale reads: a measured and a predicted line per invalidation, a point per TTL', () => {
    const svg = chart('stale-reads');
    const fresh = freshRows(snapshot);
    for (const inv of ['ttl', 'delete', 'write-through']) {
      const count = fresh.filter((r) => r.invalidation === inv).length;
      expect(points(seriesNamed(svg, inv))).toHaveLength(count);
      expect(points(seriesNamed(svg, `${inv} predicted`))).toHaveLength(count);
    }
    for (const r of fresh.filter((row) => row.invalidation === 'ttl')) {
      expect(titles(seriesNamed(svg, 'ttl'))).toContain(
        `ttl, TTL ${ttl(r.ttlMs)}: ${fmtPct(r.staleReadRatio)} stale reads`,
      );
    }
  });

  it('loads per expiry: a measured bar per strategy beside its prediction, a gap where there is none', () => {
    const svg = chart('loads-per-expiry');
    const herd = herdRows(snapshot);
    expect(tickLabels(svg)).toEqual(herd.map((r) => r.strategy));
    expect(find(seriesNamed(svg, 'measured'), byClass('cab-bar'))).toHaveLength(herd.length);
    const predicted = herd.filter((r) => r.predictedLoadsPerExpiry !== null);
    expect(find(seriesNamed(svg, 'predicted'), byClass('cab-bar'))).toHaveLength(predicted.length);
    const gaps = find(seriesNamed(svg, 'predicted'), byClass('cab-missing')).map(allText);
    const unpredicted = herd.filter((r) => r.predictedLoadsPerExpiry === null);
    expect(gaps).toEqual(unpredicted.map((r) => `—${r.strategy}: no prediction for this strategy`));
  });

  it('is deterministic: the same snapshot gives byte-identical SVG, with no ids and no dates', async () => {
    const again = snapshotCharts(JSON.parse(JSON.stringify(await committedSnapshot())) as Snapshot);
    expect(again.map((c) => c.svg)).toEqual(charts.map((c) => c.svg));
    for (const c of charts) {
      expect(c.svg).not.toMatch(/\sid="/);
      expect(c.svg).not.toContain(snapshot.createdAt.slice(0, 10));
    }
  });

  it('reads on light and dark backgrounds: no background fill, a dark-scheme style', () => {
    for (const c of charts) {
      const svg = parseXml(c.svg);
      expect(find(svg, (n) => n.name === 'rect' && n.attrs.width === svg.attrs.width)).toEqual([]);
      expect(allText(find(svg, (n) => n.name === 'style')[0] as XmlNode)).toContain(
        '@media (prefers-color-scheme:dark)',
      );
    }
  });
});

describe('charts for other snapshots', () => {
  it('draws only the suites that ran', () => {
    const sweepOnly = buildSnapshot((s) => {
      s.suites = { 'ttl-sweep': s.suites['ttl-sweep'] as NonNullable<Snapshot['suites'][string]> };
    });
    // The test helper's histogram is not a real one: the latency chart says so instead of failing.
    const names = snapshotCharts(sweepOnly).map((c) => c.name);
    expect(names).toEqual(['hit-ratio', 'source-reads', 'latency-percentiles']);
    const latency = snapshotCharts(sweepOnly).find((c) => c.name === 'latency-percentiles')?.svg ?? '';
    expect(latency).toContain('could not be decoded');
    expect(snapshotCharts(buildSnapshot((s) => (s.suites = {})))).toEqual([]);
  });

  it('renders well-formed charts for degenerate runs: only TTL 0, only none, figures all null', () => {
    const edits: ((s: Snapshot) => void)[] = [
      (s) => {
        const row = sweepRows(s)[0];
        if (row) Object.assign(row, { ttlMs: 0, hitRatio: null, predictedHitRatio: null, serverHitRatio: null });
      },
      (s) => {
        const row = sweepRows(s)[0];
        if (row) row.ttlMs = null;
      },
      (s) => {
        for (const r of freshRows(s)) Object.assign(r, { staleReadRatio: null, predictedStaleReadRatio: null });
        for (const r of herdRows(s)) Object.assign(r, { loadsPerExpiry: null, predictedLoadsPerExpiry: null });
      },
    ];
    for (const edit of edits) {
      const drawn = snapshotCharts(buildSnapshot(edit));
      expect(drawn).toHaveLength(5);
      for (const c of drawn) {
        expect(() => parseXml(c.svg), c.name).not.toThrow();
        expect(c.svg, c.name).not.toMatch(/NaN|Infinity|undefined/);
      }
    }
  });

  it('compare draws both runs on every chart: OLD dashed and hollow, NEW solid', async () => {
    const older = await committedSnapshot();
    const compared = compareCharts(older, snapshot);
    expect(compared.map((c) => c.name)).toEqual(charts.map((c) => c.name));
    const hit = parseXml(compared[0]?.svg ?? '');
    const old = seriesNamed(hit, 'measured (OLD)');
    const fresh = seriesNamed(hit, 'measured (NEW)');
    expect(points(old)).toHaveLength(points(fresh).length);
    expect(find(old, (n) => n.name === 'path')[0]?.attrs['stroke-dasharray']).toBe('7 4');
    expect(find(fresh, (n) => n.name === 'path')[0]?.attrs['stroke-dasharray']).toBeUndefined();
    expect(points(old)[0]?.attrs['fill-opacity']).toBe('0');
    const latency = parseXml(compared[2]?.svg ?? '');
    expect(series(latency)).toHaveLength(2 * sweepRows(snapshot).length);
  });
});

describe('chart files', () => {
  it('writes each chart as an SVG file and links them from Markdown', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'charts-'));
    try {
      const files = await writeCharts(snapshot, dir);
      expect(files).toEqual(charts.map((c) => c.file));
      expect(await readFile(join(dir, 'hit-ratio.svg'), 'utf8')).toBe(charts[0]?.svg);
      expect(renderChartLinks(files).split('\n\n')[0]).toBe('![Hit ratio vs TTL](hit-ratio.svg)');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
