import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.ts';
import { readTrace } from '../../../src/workload/trace/readTrace.ts';
import { OP_READ as R, OP_WRITE as W } from '../../../src/workload/trace/traceBuilder.ts';
import { plain, traceFile } from './traceFiles.ts';

describe('twitter layout (timestamp,key,key_size,value_size,client_id,op,ttl)', () => {
  const lines = [
    '10,nz:u:a,6,100,1,get,0',
    '10,nz:u:b,6,200,2,GET,0',
    '10,nz:u:a,6,120,1,set,3600',
    '11,nz:u:c,6,50,3,gets,0',
    '12,nz:u:a,6,100,1,delete,0',
    '12,nz:u:b,6,200,2,incr,0',
  ];

  it('parses each line; requests sharing a second are spread evenly across it', async () => {
    const trace = await readTrace(traceFile('tw.csv', lines), { format: 'twitter' });
    expect(plain(trace)).toEqual({
      timeMs: [0, 333.333, 666.667, 1000, 2000, 2500],
      key: [1, 2, 1, 3, 1, 2],
      op: [R, R, W, R, W, W],
      valueSize: [100, 200, 120, 50, 100, 200],
    });
    expect(trace).toMatchObject({ requests: 6, reads: 3, writes: 3, uniqueKeys: 3, format: 'twitter' });
    expect(trace).toMatchObject({ formatSniffed: false, timed: true, durationMs: 2500, malformed: 0 });
    expect([1, 2, 3].map(trace.keyName)).toEqual(['nz:u:a', 'nz:u:b', 'nz:u:c']);
  });

  it('interns many keys exactly, in order of first appearance', async () => {
    const many = Array.from({ length: 40_000 }, (_, i) => `${i >> 10},key-${i % 20_000}-é,6,1,1,get,0`);
    const trace = await readTrace(traceFile('many.csv', many));
    expect(trace.uniqueKeys).toBe(20_000);
    expect(trace.key[25_000]).toBe(5001);
    expect(trace.keyName(5001)).toBe('key-5000-é');
  });

  it('is sniffed from a headerless seven-field line', async () => {
    const trace = await readTrace(traceFile('tw.csv', lines));
    expect(trace).toMatchObject({ format: 'twitter', formatSniffed: true, requests: 6 });
  });

  it('keeps a key that holds commas whole', async () => {
    const trace = await readTrace(
      traceFile('tw.csv', ['0,a,b,c,5,10,1,get,0', '0,a,b,c,5,10,1,get,0', '1,d,1,10,1,get,0']),
    );
    expect(trace.uniqueKeys).toBe(2);
    expect(plain(trace).key).toEqual([1, 1, 2]);
  });
});

describe('csv layout (a header names the columns)', () => {
  it('reads fractional seconds, op and value_size in any column order', async () => {
    const file = traceFile('t.csv', [
      'value_size,op,key,timestamp',
      '10,get,x,100.25',
      '20,set,y,100.5',
      '10,GET,x,101.75',
    ]);
    const trace = await readTrace(file);
    expect(plain(trace)).toEqual({ timeMs: [0, 250, 1500], key: [1, 2, 1], op: [R, W, R], valueSize: [10, 20, 10] });
    expect(trace).toMatchObject({ format: 'csv', formatSniffed: true, hasValueSize: true });
  });

  it('reads timestamp_ms; without op every line reads; without value_size sizes are 0', async () => {
    const trace = await readTrace(traceFile('t.csv', ['timestamp_ms,key', '5000,a', '5001,b', '5003,a']), {
      format: 'csv',
    });
    expect(plain(trace)).toEqual({ timeMs: [0, 1, 3], key: [1, 2, 1], op: [R, R, R], valueSize: [0, 0, 0] });
    expect(trace.hasValueSize).toBe(false);
  });

  it('spreads whole-second timestamps across their second, repeats op_count', async () => {
    const trace = await readTrace(traceFile('t.csv', ['timestamp,key,op_count', '5,a,1', '5,b,3', '6,a,1']));
    expect(plain(trace).timeMs).toEqual([0, 250, 500, 750, 1000]);
    expect(plain(trace).key).toEqual([1, 2, 2, 2, 1]);
  });

  it('names what a header lacks', async () => {
    const file = traceFile('t.csv', ['timestamp,name', '1,a']);
    await expect(readTrace(file, { format: 'csv' })).rejects.toThrow(/csv header "timestamp,name" lacks key; expected/);
  });
});

describe('cachebench layout (CacheLib KV replay, columns by header name)', () => {
  const header = 'op_time,key,key_size,op,op_count,size,cache_hits,ttl';

  it('reads op_time in ms, repeats op_count, reads GET and GET_LEASE', async () => {
    const lines = [
      header,
      '564726470,798057486,83,GET,2,62,1,0',
      '564726480,798057487,83,SET,1,100,0,3600',
      '564726490,798057486,83,GET_LEASE,1,62,1,0',
      '564726495,798057488,83,DELETE,1,0,0,0',
    ];
    const trace = await readTrace(traceFile('kv.csv', lines));
    expect(plain(trace)).toEqual({
      timeMs: [0, 0, 10, 20, 25],
      key: [1, 1, 2, 1, 3],
      op: [R, R, W, R, W],
      valueSize: [62, 62, 100, 62, 0],
    });
    expect(trace).toMatchObject({ format: 'cachebench', formatSniffed: true, timed: true, reads: 3, writes: 2 });
  });

  it('refuses op_count 0 as CacheLib does', async () => {
    const lines = [header, ...Array.from({ length: 10 }, (_, i) => `${i},k${i},3,GET,1,10,0,0`), '11,k,3,GET,0,10,0,0'];
    await expect(readTrace(traceFile('kv.csv', lines))).rejects.toThrow(
      /1 of 11\), more than 1\.00%; first at line 12/,
    );
  });

  it('spaces an untimed trace (no op_time) at the given rate', async () => {
    const lines = ['key,op,size,op_count,key_size', '1668757755,SET,82,1,40', '1668757756,GET,82,2,40'];
    const trace = await readTrace(traceFile('kv.csv', lines), { untimedRatePerSec: 100 });
    expect(plain(trace).timeMs).toEqual([0, 10, 20]);
    expect(trace).toMatchObject({ format: 'cachebench', timed: false, requests: 3 });
  });
});

describe('format sniffing', () => {
  it('refuses a first line it cannot place, naming the file and the line', async () => {
    const file = traceFile('odd.txt', ['hello world', 'more']);
    const error = await readTrace(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(/cannot tell its format from the first line "hello world"/);
  });
});

describe('byte order mark', () => {
  it('is dropped from the first line', async () => {
    const trace = await readTrace(traceFile('bom.csv', ['\uFEFFtimestamp,key', '1,a', '2,b']));
    expect(trace).toMatchObject({ format: 'csv', requests: 2, malformed: 0 });
  });
});
