/** Trace files for tests, written to a temp directory that is removed after the test file. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'cab-trace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let written = 0;

/** Writes `lines` (newline-terminated) to a fresh file; gzipped when the name ends in .gz. */
export function traceFile(name: string, lines: string[]): string {
  const path = join(dir, `${written++}-${name}`);
  const text = lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  writeFileSync(path, name.endsWith('.gz') ? gzipSync(text) : text);
  return path;
}

/** The arrays of a trace as plain numbers, for `toEqual`. */
export function plain(trace: { timeMs: Float64Array; key: Int32Array; op: Uint8Array; valueSize: Int32Array }) {
  return {
    timeMs: Array.from(trace.timeMs, (t) => Math.round(t * 1000) / 1000),
    key: Array.from(trace.key),
    op: Array.from(trace.op),
    valueSize: Array.from(trace.valueSize),
  };
}
