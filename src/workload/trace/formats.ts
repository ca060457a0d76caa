/**
 * The three trace layouts, one line at a time. Each parser fills a reused
 * `ParsedLine` and says whether the line was well formed; the builder does
 * the rest (interning, timing, selection). Layouts as their owners publish them:
 *
 * - `csv`: ours. A header names the columns: `timestamp` (seconds, fractions
 *   allowed) or `timestamp_ms`, and `key`, are required; `op`, `value_size`,
 *   `key_size`, `ttl` and `op_count` are optional (no `op`: every line reads).
 * - `twitter`: github.com/twitter/cache-trace README, headerless, 7 columns:
 *   timestamp (whole seconds), anonymized key, key size, value size, client id,
 *   operation (get/gets/set/add/replace/cas/append/prepend/delete/incr/decr), TTL.
 * - `cachebench`: CacheLib's KVReplayGenerator (cachelib/cachebench/workload/
 *   KVReplayGenerator.h) matches columns by header name: `key`, `op`, `size`
 *   required; `op_count`, `key_size`, `ttl`, `op_time`, `cache_hits` optional.
 *   `op_time` is in ms (StressorConfig::timestampFactor defaults to 1000).
 *   Meta's published traces come with and without it (libCacheSim's
 *   scripts/traceConv/metaKV.py lists releases 202206 and 202312 as untimed).
 *   CacheLib refuses `op_count` 0, and so do we.
 *
 * Reads are get/gets in any case, plus CacheLib's GET_LEASE (which
 * KVReplayGenerator replays as a get); every other op writes the row.
 * Fields are split on commas; quoted fields are not supported (no published
 * layout quotes them). A csv or cachebench line must have the header's width.
 */
import type { TraceFormat } from '../../config/types.ts';
import { Fields, MAX_FIELDS } from './fields.ts';

export { TRACE_FORMATS, type TraceFormat } from '../../config/types.ts';

export interface ParsedLine {
  /** Absolute time in ms, in the trace's own origin; NaN for an untimed layout. */
  timeMs: number;
  /** The timestamp was a whole number of seconds (such lines are spread across their second). */
  wholeSecond: boolean;
  /** The key is `line.slice(keyFrom, keyTo)`, left unsliced for the interner. */
  line: string;
  keyFrom: number;
  keyTo: number;
  read: boolean;
  /** Bytes of the value; 0 when the layout has no size. */
  valueSize: number;
  /** How many times the request repeats (op_count); 1 without the column. */
  count: number;
}

export type LineParser = (line: string, out: ParsedLine) => boolean;

export interface LayoutParser {
  parse: LineParser;
  /** Lines carry timestamps; untimed layouts are spaced by the reader. */
  timed: boolean;
  hasValueSize: boolean;
}

export function newParsedLine(): ParsedLine {
  return { timeMs: 0, wholeSecond: false, line: '', keyFrom: 0, keyTo: 0, read: true, valueSize: 0, count: 1 };
}

/** Header names, lower-cased and trimmed. */
export function headerNames(line: string): string[] {
  return line.split(',').map((name) => name.trim().toLowerCase());
}

/** `timestamp` in seconds, and whether it was whole. */
function setSeconds(out: ParsedLine, f: Fields, i: number): boolean {
  const seconds = f.number(i);
  if (Number.isNaN(seconds)) return false;
  out.timeMs = seconds * 1000;
  out.wholeSecond = Number.isInteger(seconds);
  return true;
}

function setMs(out: ParsedLine, f: Fields, i: number): boolean {
  const ms = f.number(i);
  if (Number.isNaN(ms)) return false;
  out.timeMs = ms;
  out.wholeSecond = false;
  return true;
}

/** twitter/cache-trace: 7 columns; a key holding commas leaves extra middle fields, which rejoin. */
export function twitterParser(): LayoutParser {
  const f = new Fields();
  const parse: LineParser = (line, out) => {
    const n = f.split(line);
    if (n < 7 || n > MAX_FIELDS || !setSeconds(out, f, 0)) return false;
    const read = f.isRead(n - 2);
    const valueSize = f.number(n - 4);
    if (read === undefined || Number.isNaN(valueSize) || f.start(1) === f.end(n - 6)) return false;
    if (Number.isNaN(f.number(n - 5)) || Number.isNaN(f.number(n - 1))) return false;
    out.line = line;
    out.keyFrom = f.start(1);
    out.keyTo = f.end(n - 6);
    out.valueSize = valueSize;
    out.read = read;
    out.count = 1;
    return true;
  };
  return { parse, timed: true, hasValueSize: true };
}

interface Columns {
  width: number;
  key: number;
  op: number;
  size: number;
  count: number;
  time: number;
}

/** Column positions of a header, -1 when absent. */
function locate(names: string[], sizeName: string, timeName: string): Columns {
  return {
    width: names.length,
    key: names.indexOf('key'),
    op: names.indexOf('op'),
    size: names.indexOf(sizeName),
    count: names.indexOf('op_count'),
    time: names.indexOf(timeName),
  };
}

/** Parses the common columns of a header-led layout; the caller sets the time. */
function fillCommon(f: Fields, c: Columns, out: ParsedLine): boolean {
  if (f.count !== c.width || f.empty(c.key)) return false;
  out.line = f.line;
  out.keyFrom = f.start(c.key);
  out.keyTo = f.end(c.key);
  if (c.op >= 0) {
    const read = f.isRead(c.op);
    if (read === undefined) return false;
    out.read = read;
  } else out.read = true;
  out.valueSize = c.size >= 0 ? f.number(c.size) : 0;
  out.count = c.count >= 0 ? f.count1(c.count) : 1;
  return !Number.isNaN(out.valueSize) && !Number.isNaN(out.count);
}

/** Our csv layout; a string names what the header lacks. */
export function csvParser(header: string): LayoutParser | string {
  const names = headerNames(header);
  const seconds = names.includes('timestamp');
  const c = locate(names, 'value_size', seconds ? 'timestamp' : 'timestamp_ms');
  if (c.key < 0 || c.time < 0) {
    return `csv header ${JSON.stringify(header.slice(0, 120))} lacks ${c.key < 0 ? 'key' : 'timestamp'}`;
  }
  const f = new Fields();
  const parse: LineParser = (line, out) => {
    f.split(line);
    if (!fillCommon(f, c, out)) return false;
    return seconds ? setSeconds(out, f, c.time) : setMs(out, f, c.time);
  };
  return { parse, timed: true, hasValueSize: c.size >= 0 };
}

/** CacheLib's KV replay layout; a string names what the header lacks. */
export function cachebenchParser(header: string): LayoutParser | string {
  const names = headerNames(header);
  const c = locate(names, 'size', 'op_time');
  const missing = ['key', 'op', 'size'].filter((name) => !names.includes(name));
  if (missing.length > 0) {
    return `cachebench header ${JSON.stringify(header.slice(0, 120))} lacks ${missing.join(', ')}`;
  }
  const timed = c.time >= 0;
  const f = new Fields();
  const parse: LineParser = (line, out) => {
    f.split(line);
    if (!fillCommon(f, c, out)) return false;
    if (!timed) {
      out.timeMs = Number.NaN;
      out.wholeSecond = false;
      return true;
    }
    return setMs(out, f, c.time);
  };
  return { parse, timed, hasValueSize: true };
}

/** What the first line says, for each layout: header-led layouts need it as a header. */
export function layoutFor(
  format: TraceFormat,
  firstLine: string,
): { parser: LayoutParser; headerConsumed: boolean } | string {
  if (format === 'twitter') return { parser: twitterParser(), headerConsumed: false };
  const parser = format === 'csv' ? csvParser(firstLine) : cachebenchParser(firstLine);
  return typeof parser === 'string' ? parser : { parser, headerConsumed: true };
}

/**
 * The layout a first line implies, or undefined. A header naming a timestamp
 * and a key is ours; one naming key, op and size is CacheLib's; seven fields
 * that parse as a twitter line are twitter.
 */
export function sniffFormat(firstLine: string): TraceFormat | undefined {
  const names = headerNames(firstLine);
  if (names.includes('key') && (names.includes('timestamp') || names.includes('timestamp_ms'))) return 'csv';
  if (names.includes('key') && names.includes('op') && names.includes('size')) return 'cachebench';
  if (twitterParser().parse(firstLine, newParsedLine())) return 'twitter';
  return undefined;
}
