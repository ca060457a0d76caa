/**
 * Reads a trace file (plain or gzip, told apart by its magic bytes) into the
 * compact in-memory trace, streaming: the text is never held whole, only one
 * readline chunk at a time. Bad input is one `UsageError` line naming the file:
 * a missing or unreadable file, an unknown layout, an empty trace, a selection
 * that selects nothing, or more than 1% malformed lines.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { quote } from '../../config/messages.ts';
import { UsageError } from '../../errors.ts';
import { type LayoutParser, layoutFor, newParsedLine, sniffFormat, type TraceFormat } from './formats.ts';
import { type BuiltTrace, TraceBuilder } from './traceBuilder.ts';

export interface ReadTraceOptions {
  /** Omitted: sniffed from the first line (`formatSniffed` says so). */
  format?: TraceFormat;
  /** Seconds from the trace's first request: [startSec, endSec). */
  window?: { startSec: number; endSec: number };
  /** At most this many requests (op_count repeats count one each). */
  limit?: number;
  /** Request rate given to an untimed trace (cachebench without op_time); default 1000/s. */
  untimedRatePerSec?: number;
}

export interface MalformedLine {
  lineNumber: number;
  text: string;
}

export interface Trace extends BuiltTrace {
  file: string;
  format: TraceFormat;
  formatSniffed: boolean;
  /** False when the layout has no timestamps and requests were spaced at `untimedRatePerSec`. */
  timed: boolean;
  hasValueSize: boolean;
  /** ms from the window's start to the last request. */
  durationMs: number;
  /** Data lines read (not the header or blank lines). */
  lines: number;
  malformed: number;
  /** The first three malformed lines (their first 200 characters). */
  malformedExamples: MalformedLine[];
}

/** More malformed lines than this share of the lines read is bad input. */
export const MAX_MALFORMED_SHARE = 0.01;
const KEPT_EXAMPLES = 3;
const GZIP_MAGIC = [0x1f, 0x8b];

const EXPECTED: Record<TraceFormat, string> = {
  csv: 'comma-separated fields as the header names them (timestamp or timestamp_ms, key; optional op, value_size, key_size, ttl, op_count)',
  twitter: '7 fields: timestamp,key,key_size,value_size,client_id,op,ttl',
  cachebench:
    'comma-separated fields as the header names them (key, op, size; optional op_count, key_size, ttl, op_time)',
};

interface ReadState {
  layout: LayoutParser | undefined;
  format: TraceFormat | undefined;
  lineNumber: number;
  lines: number;
  malformed: number;
  examples: MalformedLine[];
  failure: Error | undefined;
  sniffed: boolean;
}

export async function readTrace(file: string, options: ReadTraceOptions = {}): Promise<Trace> {
  checkOptions(options);
  const input = await openLines(file);
  const builder = new TraceBuilder({
    startMs: (options.window?.startSec ?? 0) * 1000,
    endMs: (options.window?.endSec ?? Number.POSITIVE_INFINITY) * 1000,
    limit: options.limit ?? Number.POSITIVE_INFINITY,
    untimedSpacingMs: 1000 / (options.untimedRatePerSec ?? 1000),
  });
  const state: ReadState = {
    layout: undefined,
    format: options.format,
    lineNumber: 0,
    lines: 0,
    malformed: 0,
    examples: [],
    failure: undefined,
    sniffed: false,
  };
  await consume(file, input, state, builder);
  if (state.failure) throw state.failure;
  return finish(file, options, state, builder.finish());
}

/** Feeds every line to the layout and the builder; stops early once nothing more can be selected. */
async function consume(file: string, input: Readable, state: ReadState, builder: TraceBuilder): Promise<void> {
  const rl = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  const parsed = newParsedLine();
  const stop = (failure?: Error) => {
    state.failure ??= failure;
    rl.close();
    input.destroy();
  };
  rl.on('line', (text) => {
    // A byte order mark would stick to the first header name.
    const line = ++state.lineNumber === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    if (state.failure || builder.done || isBlank(line)) return;
    if (state.layout === undefined) {
      const headerConsumed = chooseLayout(file, line, state);
      if (headerConsumed instanceof Error) stop(headerConsumed);
      if (headerConsumed !== false) return;
    }
    state.lines++;
    if ((state.layout as LayoutParser).parse(line, parsed)) builder.add(parsed);
    else if (++state.malformed <= KEPT_EXAMPLES)
      state.examples.push({ lineNumber: state.lineNumber, text: line.slice(0, 200) });
    if (builder.done) stop();
  });
  await new Promise<void>((resolve) => {
    // readline re-emits its input's errors (Node >= 16); either one ends the read.
    const fail = (error: Error) => {
      stop(new UsageError(`trace ${file}: cannot be read (${error.message.split('\n')[0]})`));
      resolve();
    };
    input.on('error', fail);
    rl.on('error', fail);
    rl.on('close', resolve);
  });
}

function isBlank(line: string): boolean {
  return line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim().length === 0);
}

/** Sets the layout from the first non-blank line; true when that line was a header. */
function chooseLayout(file: string, line: string, state: ReadState): boolean | Error {
  if (state.format === undefined) {
    state.format = sniffFormat(line);
    state.sniffed = true;
    if (state.format === undefined) {
      return new UsageError(
        `trace ${file}: cannot tell its format from the first line ${quote(line)}; expected a csv header naming timestamp and key, a cachebench header naming key, op and size, or a 7-field twitter line (or name the format)`,
      );
    }
  }
  const chosen = layoutFor(state.format, line);
  if (typeof chosen === 'string') return new UsageError(`trace ${file}: ${chosen}; expected ${EXPECTED[state.format]}`);
  state.layout = chosen.parser;
  return chosen.headerConsumed;
}

/** A line stream over the file, through gunzip when it starts with the gzip magic bytes. */
async function openLines(file: string): Promise<Readable> {
  const magic = Buffer.alloc(2);
  try {
    const handle = await open(file, 'r');
    try {
      await handle.read(magic, 0, 2, 0);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw new UsageError(`trace ${file}: cannot be read (${describeFsError(error)}); expected a readable trace file`);
  }
  const raw = createReadStream(file, { highWaterMark: 1 << 16 });
  if (magic[0] !== GZIP_MAGIC[0] || magic[1] !== GZIP_MAGIC[1]) return raw;
  const gunzip = createGunzip();
  raw.on('error', (error) => gunzip.destroy(error));
  gunzip.on('close', () => raw.destroy());
  return raw.pipe(gunzip);
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'a directory';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? (error.message.split('\n')[0] ?? code ?? 'unknown error') : String(error);
}

function finish(file: string, options: ReadTraceOptions, state: ReadState, built: BuiltTrace): Trace {
  const format = state.format as TraceFormat;
  if (state.lines === 0) {
    throw new UsageError(
      `trace ${file} has no requests: expected ${state.layout ? EXPECTED[format] : 'at least one line'}`,
    );
  }
  const share = state.malformed / state.lines;
  if (share > MAX_MALFORMED_SHARE) {
    const first = state.examples[0] as MalformedLine;
    throw new UsageError(
      `trace ${file}: ${percent(share)} of lines are malformed (${state.malformed} of ${state.lines}), more than ${percent(MAX_MALFORMED_SHARE)}; first at line ${first.lineNumber}: ${quote(first.text)}; expected ${EXPECTED[format]}`,
    );
  }
  if (built.requests === 0) {
    const what = options.window ? `window ${options.window.startSec}:${options.window.endSec}` : 'the selection';
    throw new UsageError(`trace ${file}: ${what} selects no requests; expected a window inside the trace`);
  }
  const layout = state.layout as LayoutParser;
  return {
    ...built,
    file,
    format,
    formatSniffed: state.sniffed,
    timed: layout.timed,
    hasValueSize: layout.hasValueSize,
    durationMs: built.timeMs[built.requests - 1] as number,
    lines: state.lines,
    malformed: state.malformed,
    malformedExamples: state.examples,
  };
}

function percent(share: number): string {
  return `${(share * 100).toFixed(share < 0.1 ? 2 : 1)}%`;
}

/** Options come from the command line's parsers; a bad one here is a programming error. */
function checkOptions(options: ReadTraceOptions): void {
  const { window, limit, untimedRatePerSec } = options;
  if (window && !(window.startSec >= 0 && window.endSec > window.startSec)) {
    throw new RangeError(`window must have 0 <= startSec < endSec, got ${window.startSec}:${window.endSec}`);
  }
  if (limit !== undefined && !(limit >= 1)) throw new RangeError(`limit must be >= 1, got ${limit}`);
  if (untimedRatePerSec !== undefined && !(untimedRatePerSec > 0 && Number.isFinite(untimedRatePerSec))) {
    throw new RangeError(`untimedRatePerSec must be finite and > 0, got ${untimedRatePerSec}`);
  }
}
