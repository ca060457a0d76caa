import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.ts';
import { readTrace } from '../../../src/workload/trace/readTrace.ts';
import { plain, traceFile } from './traceFiles.ts';

/** One twitter line per second, key k0..k(n-1). */
function perSecond(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${i},k${i % 7},2,10,1,get,0`);
}

describe('readTrace: files', () => {
  it('reads a gzip file the same as the plain text', async () => {
    const lines = ['timestamp,key,op,value_size', '0.5,a,get,1', '0.75,b,set,2', '2,a,get,1'];
    const plainTrace = await readTrace(traceFile('t.csv', lines));
    const gzTrace = await readTrace(traceFile('t.csv.gz', lines));
    expect(plain(gzTrace)).toEqual(plain(plainTrace));
    expect(gzTrace.requests).toBe(3);
  });

  it('refuses a missing file and a corrupt gzip file with one line naming the file', async () => {
    await expect(readTrace('/nonexistent/trace.csv')).rejects.toThrow(
      /trace \/nonexistent\/trace\.csv: cannot be read \(no such file\)/,
    );
    const corrupt = traceFile('bad.gz', []);
    writeFileSync(corrupt, Buffer.from([0x1f, 0x8b, 1, 2, 3, 4, 5]));
    const error = await readTrace(corrupt).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain(corrupt);
  });

  it('refuses an empty trace, a header alone and blank lines alone', async () => {
    for (const lines of [[], ['timestamp,key'], ['', '  ']]) {
      const file = traceFile('empty.csv', lines);
      await expect(readTrace(file)).rejects.toThrow(new RegExp(`trace ${file} has no requests`));
      await expect(readTrace(file)).rejects.toBeInstanceOf(UsageError);
    }
  });

  it('clamps a timestamp that goes backwards and counts it', async () => {
    const trace = await readTrace(traceFile('t.csv', ['timestamp_ms,key', '0,a', '200,a', '100,b', '300,b']));
    expect(plain(trace).timeMs).toEqual([0, 200, 200, 300]);
    expect(trace.reordered).toBe(1);
  });
});

describe('readTrace: malformed lines', () => {
  it('under 1%: counted, the first three kept with their line numbers', async () => {
    const lines = perSecond(400);
    for (const at of [10, 20, 30, 40]) lines[at] = `${at},k,notanumber,10,1,get,0`;
    const trace = await readTrace(traceFile('tw.csv', lines), { format: 'twitter' });
    expect(trace).toMatchObject({ requests: 396, lines: 400, malformed: 4 });
    expect(trace.malformedExamples).toEqual([
      { lineNumber: 11, text: '10,k,notanumber,10,1,get,0' },
      { lineNumber: 21, text: '20,k,notanumber,10,1,get,0' },
      { lineNumber: 31, text: '30,k,notanumber,10,1,get,0' },
    ]);
  });

  it('over 1%: a UsageError naming the file, the share and the first bad line', async () => {
    const lines = ['timestamp,key,op', ...Array.from({ length: 98 }, (_, i) => `${i},k,get`), 'oops', '99,k'];
    const file = traceFile('t.csv', lines);
    const error = await readTrace(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(
      `trace ${file}: 2.00% of lines are malformed (2 of 100), more than 1.00%; first at line 100: "oops"; expected comma-separated fields as the header names them (timestamp or timestamp_ms, key; optional op, value_size, key_size, ttl, op_count)`,
    );
  });

  it('refuses empty keys, negative sizes and missing fields', async () => {
    const lines = ['timestamp,key,value_size', '1,,5', '2,a,-1', '3,b', '4,c,7'];
    const error = await readTrace(traceFile('t.csv', lines)).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/75\.0% of lines are malformed \(3 of 4\).*first at line 2: "1,,5"/);
  });
});

describe('readTrace: selection', () => {
  it('a window START:END keeps [START, END) seconds from the first request, timed from START', async () => {
    const trace = await readTrace(traceFile('tw.csv', perSecond(10)), { window: { startSec: 2, endSec: 5 } });
    expect(plain(trace).timeMs).toEqual([0, 1000, 2000]);
    expect(plain(trace).key).toEqual([1, 2, 3]);
    expect(trace.stoppedEarly).toBe(true);
  });

  it('a limit keeps the first N requests, cutting an op_count repeat', async () => {
    const lines = ['timestamp_ms,key,op_count', '0,a,2', '10,b,3', '20,c,1'];
    const trace = await readTrace(traceFile('t.csv', lines), { limit: 4 });
    expect(plain(trace)).toMatchObject({ timeMs: [0, 0, 10, 10], key: [1, 1, 2, 2] });
    expect(trace.stoppedEarly).toBe(true);
  });

  it('a limit inside a whole second spreads the requests kept', async () => {
    const lines = ['0,a,1,1,1,get,0', '0,b,1,1,1,get,0', '0,c,1,1,1,get,0', '0,d,1,1,1,get,0'];
    const trace = await readTrace(traceFile('tw.csv', lines), { limit: 2 });
    expect(plain(trace).timeMs).toEqual([0, 500]);
  });

  it('a window past the end selects nothing, which is refused', async () => {
    const file = traceFile('tw.csv', perSecond(5));
    await expect(readTrace(file, { window: { startSec: 60, endSec: 120 } })).rejects.toThrow(
      /: window 60:120 selects no requests; expected a window inside the trace/,
    );
  });
});
