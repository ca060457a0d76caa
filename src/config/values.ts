/**
 * Pure parsers for the string syntax shared by flags and scenario fields,
 * each beside its inverse (the formatter that writes a value the parser reads
 * back). Each parser takes a `label` naming where the text came from and
 * throws a one-line `UsageError` naming the label, the text and what was
 * expected.
 */
import { DECIMAL, formatDuration, readDuration } from './duration.ts';
import { fail } from './messages.ts';
import type {
  Invalidation,
  KeyDistribution,
  LatencySpec,
  StampedeStrategy,
  TraceFormat,
  TraceTiming,
  TraceWindow,
} from './types.ts';
import { INVALIDATIONS, TRACE_FORMATS, TRACE_TIMINGS } from './types.ts';

export const MAX_SOURCE_LATENCY_MS = 10_000;

function readNumber(text: string): number | undefined {
  return DECIMAL.test(text) ? Number(text) : undefined;
}

/** Per second; `300` and `300/s` both read. */
export function parseRate(label: string, raw: string): number {
  const text = raw.trim().replace(/\/s$/, '');
  const rate = readNumber(text);
  if (rate === undefined || !(rate > 0) || rate > 1e7) {
    return fail(label, raw, 'a rate per second above 0 and at most 10000000, such as 300 or 2.5');
  }
  return rate;
}

export function parseInteger(label: string, raw: string, min: number, max: number): number {
  const text = raw.trim();
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max)) return fail(label, raw, `a whole number from ${min} to ${max}`);
  return value;
}

/** `5` and `5%` both mean five percent. */
export function parsePercent(label: string, raw: string): number {
  const value = readNumber(raw.trim().replace(/%$/, ''));
  if (value === undefined || value > 100) return fail(label, raw, 'a percentage from 0 to 100, such as 5 or 5%');
  return value;
}

export function formatPercent(value: number): string {
  return `${value}%`;
}

export function parseSpeedup(label: string, raw: string): number {
  const value = readNumber(raw.trim());
  if (value === undefined || value < 1 || value > 1e6) {
    return fail(label, raw, 'a factor from 1 to 1000000, such as 60');
  }
  return value;
}

/** `true`/`false`: a switch set from a scenario's boolean or a snapshot's settings. */
export function parseSwitch(label: string, raw: string): boolean {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  return fail(label, raw, 'true or false');
}

export function parseDistribution(label: string, raw: string): KeyDistribution {
  const expected = 'uniform, zipf, zipf:S with 0 < S <= 5, or hotspot:F:Q with 0 < F, Q < 1 (e.g. hotspot:0.2:0.8)';
  const [kind, a, b, ...rest] = raw.trim().split(':');
  if (rest.length === 0) {
    if (kind === 'uniform' && a === undefined) return { kind: 'uniform' };
    if (kind === 'zipf' && b === undefined) {
      const s = a === undefined ? 0.99 : readNumber(a);
      if (s !== undefined && s > 0 && s <= 5) return { kind: 'zipf', s };
    }
    if (kind === 'hotspot' && a !== undefined && b !== undefined) {
      const hotFraction = readNumber(a);
      const hotOpsFraction = readNumber(b);
      const inside = (x: number | undefined): x is number => x !== undefined && x > 0 && x < 1;
      if (inside(hotFraction) && inside(hotOpsFraction)) return { kind: 'hotspot', hotFraction, hotOpsFraction };
    }
  }
  return fail(label, raw, expected);
}

/** `uniform`, `zipf:0.99`, `hotspot:0.2:0.8`: the spelling of the `--dist` flag. */
export function formatDistribution(dist: KeyDistribution): string {
  switch (dist.kind) {
    case 'uniform':
      return 'uniform';
    case 'zipf':
      return `zipf:${dist.s}`;
    case 'hotspot':
      return `hotspot:${dist.hotFraction}:${dist.hotOpsFraction}`;
  }
}

/** A delay, `uniform:A:B` or `exp:MEAN`, each at most 10 s. */
export function parseLatency(label: string, raw: string): LatencySpec {
  const max = MAX_SOURCE_LATENCY_MS;
  const expected = `a duration such as 1ms, 500us or 0ms, uniform:A:B such as uniform:1ms:5ms, or exp:MEAN such as exp:2ms, at most ${formatDuration(max)}`;
  const inRange = (ms: number | undefined): ms is number => ms !== undefined && ms >= 0 && ms <= max;
  const parts = raw.trim().split(':');
  const [kind = '', a = '', b = ''] = parts;
  if (parts.length === 1) {
    const ms = readDuration(kind);
    if (inRange(ms)) return { kind: 'fixed', ms };
  } else if (kind === 'uniform' && parts.length === 3) {
    const minMs = readDuration(a);
    const maxMs = readDuration(b);
    if (inRange(minMs) && inRange(maxMs)) {
      if (minMs <= maxMs) return { kind: 'uniform', minMs, maxMs };
      return fail(label, raw, expected, 'A is above B');
    }
  } else if (kind === 'exp' && parts.length === 2) {
    const meanMs = readDuration(a);
    if (inRange(meanMs) && meanMs > 0) return { kind: 'exp', meanMs };
  }
  return fail(label, raw, expected);
}

/** `1ms`, `uniform:1ms:5ms`, `exp:2ms`: the spelling of `--source-latency`. */
export function formatLatency(spec: LatencySpec): string {
  switch (spec.kind) {
    case 'fixed':
      return spec.ms === 0 ? '0ms' : formatDuration(spec.ms);
    case 'uniform':
      return `uniform:${formatDuration(spec.minMs)}:${formatDuration(spec.maxMs)}`;
    case 'exp':
      return `exp:${formatDuration(spec.meanMs)}`;
  }
}

/** Splits a comma list and rejects empty items and duplicates (by `key`). */
export function parseList<T>(label: string, raw: string, expected: string, read: (item: string) => T | undefined): T[] {
  const seen = new Set<string>();
  const values: T[] = [];
  for (const item of raw.split(',').map((part) => part.trim())) {
    if (item === '') return fail(label, raw, expected, 'empty item');
    const value = read(item);
    if (value === undefined) return fail(label, raw, expected, `${item} is not one`);
    const key = JSON.stringify(value);
    if (seen.has(key)) return fail(label, raw, expected, `${item} is given twice`);
    seen.add(key);
    values.push(value);
  }
  return values;
}

export function parseInvalidations(label: string, raw: string): Invalidation[] {
  const expected = `a comma list of ${INVALIDATIONS.join(', ')}`;
  return parseList(label, raw, expected, (item) => INVALIDATIONS.find((name) => name === item));
}

export function parseStampede(label: string, raw: string): StampedeStrategy[] {
  const expected = 'a comma list of none, single-flight, lock, xfetch or xfetch:BETA with 0 < BETA <= 100';
  return parseList(label, raw, expected, (item): StampedeStrategy | undefined => {
    if (item === 'none' || item === 'single-flight' || item === 'lock') return { kind: item };
    const match = /^xfetch(?::(.*))?$/.exec(item);
    if (!match) return undefined;
    const beta = match[1] === undefined ? 1 : readNumber(match[1]);
    return beta !== undefined && beta > 0 && beta <= 100 ? { kind: 'xfetch', beta } : undefined;
  });
}

/** `none`, `lock`, `xfetch:1.5`: the spelling of one `--stampede` item. */
export function formatStrategy(strategy: StampedeStrategy): string {
  return strategy.kind === 'xfetch' ? `xfetch:${strategy.beta}` : strategy.kind;
}

/** A file path or directory: anything but empty. */
export function parsePath(expected: string): (label: string, raw: string) => string {
  return (label, raw) => (raw.trim() === '' ? fail(label, raw, expected) : raw);
}

/** One of a fixed set of words, e.g. `--trace-format csv`. */
export function parseWord<T extends string>(words: readonly T[]): (label: string, raw: string) => T {
  return (label, raw) => words.find((w) => w === raw.trim()) ?? fail(label, raw, `one of ${words.join(', ')}`);
}

export const parseTraceFormat: (label: string, raw: string) => TraceFormat = parseWord(TRACE_FORMATS);
export const parseTraceTiming: (label: string, raw: string) => TraceTiming = parseWord(TRACE_TIMINGS);

/** A point in a trace: bare seconds (`90`, `1.5`) or a duration (`90s`, `10m`). */
function readSeconds(text: string): number | undefined {
  if (DECIMAL.test(text)) return Number(text);
  const ms = readDuration(text);
  return ms === undefined ? undefined : ms / 1000;
}

/** `START:END`, seconds from the trace's first request, END above START. */
export function parseTraceWindow(label: string, raw: string): TraceWindow {
  const expected = 'START:END in seconds from the trace start, or durations, END above START, such as 60:120 or 1m:2m';
  const parts = raw.trim().split(':');
  const startSec = parts.length === 2 ? readSeconds((parts[0] as string).trim()) : undefined;
  const endSec = parts.length === 2 ? readSeconds((parts[1] as string).trim()) : undefined;
  if (startSec === undefined || endSec === undefined) return fail(label, raw, expected);
  if (!(endSec > startSec)) return fail(label, raw, expected, 'END is not above START');
  return { startSec, endSec };
}

export function formatTraceWindow(window: TraceWindow): string {
  return `${window.startSec}:${window.endSec}`;
}
