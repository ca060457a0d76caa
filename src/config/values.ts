/**
 * Pure parsers for the string syntax shared by flags and scenario fields.
 * Each takes a `label` naming where the text came from (`--ttl`, or
 * `scenario x.json: field ttl`) and throws a one-line `UsageError` that names
 * the label, the offending text and what was expected.
 */
import { UsageError } from '../errors.ts';
import { redactUrl } from './redisTarget.ts';
import type { Invalidation, KeyDistribution, LatencySpec, StampedeStrategy, SuiteName, TtlMs } from './types.ts';
import { INVALIDATIONS, SUITE_NAMES } from './types.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const UNIT_MS: Record<string, number> = { us: 0.001, µs: 0.001, ms: 1, s: SECOND, m: MINUTE, h: HOUR };
const DURATION = /^(\d+(?:\.\d+)?)(us|µs|ms|s|m|h)$/;
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

export const MAX_TTLS = 20;
export const MAX_TTL_MS = 30 * 24 * HOUR;
export const MAX_RUN_MS = 24 * HOUR;
export const MAX_SOURCE_LATENCY_MS = 10 * SECOND;
const DURATION_EXAMPLE = 'a duration such as 250ms, 2s, 5m or 1h';

/** Quoted, redacted and escaped, so a message stays one line and never shows a password. */
export function quote(raw: string): string {
  const shown = redactUrl(raw);
  return JSON.stringify(shown.length > 120 ? `${shown.slice(0, 117)}...` : shown);
}

export function fail(label: string, raw: string, expected: string, problem?: string): never {
  const what = problem === undefined ? '' : `${problem}; `;
  throw new UsageError(`${label} ${quote(raw)}: ${what}expected ${expected}`);
}

/** `250ms`, `2s`, `0.5s`, `500us` in milliseconds; undefined when the text is not one. */
export function readDuration(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  const [, amount = '', unit = ''] = match;
  // Round to the microsecond so that 1.1s is 1100, not 1100.0000000000002.
  return Math.round(Number(amount) * (UNIT_MS[unit] ?? Number.NaN) * 1000) / 1000;
}

/** `1500` → `1.5s`, `60000` → `1m`: the shortest exact spelling, for messages and help. */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [
    ['h', HOUR],
    ['m', MINUTE],
    ['s', SECOND],
  ] as const) {
    if (ms >= size && Number.isInteger((ms / size) * 1000)) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

export function parseDuration(label: string, raw: string, minMs: number, maxMs: number): number {
  const expected = `${DURATION_EXAMPLE}, from ${formatDuration(minMs)} to ${formatDuration(maxMs)}`;
  const ms = readDuration(raw.trim());
  if (ms === undefined) {
    const hint = DECIMAL.test(raw.trim()) ? 'a duration needs a unit' : undefined;
    return fail(label, raw, expected, hint);
  }
  if (ms < minMs || ms > maxMs) return fail(label, raw, expected);
  return ms;
}

export function parseTtlList(label: string, raw: string): TtlMs[] {
  const expected = 'a comma list of durations such as 0,250ms,2s,5m or none';
  const items = raw.split(',').map((item) => item.trim());
  if (items.length > MAX_TTLS) return fail(label, raw, expected, `${items.length} TTLs, at most ${MAX_TTLS}`);
  const ttls: TtlMs[] = [];
  for (const item of items) {
    if (item === '') return fail(label, raw, expected, 'empty item');
    let ttl: TtlMs;
    if (item === '0') ttl = 0;
    else if (item === 'none') ttl = null;
    else {
      const ms = readDuration(item);
      if (item.startsWith('-')) return fail(label, raw, expected, `${item} is negative`);
      if (ms === undefined) return fail(label, raw, expected, `${item} is not a TTL`);
      // Redis expires in whole milliseconds (PX); 0 is spelled `0`, not `0ms`.
      if (!Number.isInteger(ms) || ms < 1) return fail(label, raw, expected, `${item} is not a whole number of ms`);
      if (ms > MAX_TTL_MS) return fail(label, raw, expected, `${item} is over ${formatDuration(MAX_TTL_MS)}`);
      ttl = ms;
    }
    if (ttls.includes(ttl)) return fail(label, raw, expected, `${item} is given twice`);
    ttls.push(ttl);
  }
  return ttls;
}

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

export function parseSpeedup(label: string, raw: string): number {
  const value = readNumber(raw.trim());
  if (value === undefined || value < 1 || value > 1e6) {
    return fail(label, raw, 'a factor from 1 to 1000000, such as 60');
  }
  return value;
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
      const inside = (x: number | undefined) => x !== undefined && x > 0 && x < 1;
      if (inside(hotFraction) && inside(hotOpsFraction)) {
        return { kind: 'hotspot', hotFraction: hotFraction as number, hotOpsFraction: hotOpsFraction as number };
      }
    }
  }
  return fail(label, raw, expected);
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

/** Splits a comma list and rejects empty items and duplicates (by `key`). */
function parseList<T>(label: string, raw: string, expected: string, read: (item: string) => T | undefined): T[] {
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

/** Positional suite names (or a scenario's `suites`); none means all four. */
export function parseSuites(names: readonly string[], prefix = ''): SuiteName[] {
  const suites: SuiteName[] = [];
  const expected = `expected one of ${SUITE_NAMES.join(', ')}`;
  for (const name of names) {
    const suite = SUITE_NAMES.find((s) => s === name);
    if (suite === undefined) {
      const hint = suggest(name, SUITE_NAMES);
      const mean = hint === undefined ? '' : `did you mean ${hint}? `;
      throw new UsageError(`${prefix}unknown suite ${quote(name)}: ${mean}${expected}`);
    }
    if (suites.includes(suite))
      throw new UsageError(`${prefix}suite ${quote(name)} is given twice: ${expected}, once each`);
    suites.push(suite);
  }
  return suites.length === 0 ? [...SUITE_NAMES] : suites;
}

export function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The closest candidate, only when it is close: a third of the word's letters, at least one. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const distance = levenshtein(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
