/**
 * Turns parsed lines into the compact in-memory trace: four typed arrays of
 * one slot per request (17 bytes), keys interned to 1..uniqueKeys. It also
 * applies the selection (window, limit) and the timing rules:
 *
 * - Times are ms from the window's start (the trace's first request + START).
 * - A timestamp that goes backwards is clamped to the previous one (counted in
 *   `reordered`), so times never decrease: the simulator relies on it.
 * - While every timestamp so far is a whole second, the requests sharing a
 *   second are spread evenly across it (k requests at s → s + j/k). The first
 *   fractional timestamp ends that for the rest of the trace: it is a trace
 *   with real sub-second times, where a whole-second stamp is a coincidence.
 * - Untimed layouts get one request every `untimedSpacingMs`.
 */
import type { ParsedLine } from './formats.ts';
import { grown } from './grown.ts';
import { KeyInterner } from './keyInterner.ts';

export const OP_READ = 0;
export const OP_WRITE = 1;

export interface Selection {
  /** Window in ms from the trace's first request: [startMs, endMs). */
  startMs: number;
  endMs: number;
  /** At most this many requests (after op_count repeats). */
  limit: number;
  /** Spacing of untimed traces (cachebench without op_time). */
  untimedSpacingMs: number;
}

export interface BuiltTrace {
  /** ms from the window's start, never decreasing. */
  timeMs: Float64Array;
  /** 1..uniqueKeys, in order of first appearance. */
  key: Int32Array;
  /** OP_READ or OP_WRITE. */
  op: Uint8Array;
  valueSize: Int32Array;
  requests: number;
  reads: number;
  writes: number;
  uniqueKeys: number;
  /** The text of a key id. */
  keyName: (id: number) => string;
  /** Lines whose timestamp went backwards and was clamped. */
  reordered: number;
  /** The limit or the window's end stopped the reading early. */
  stoppedEarly: boolean;
}

const INITIAL_CAPACITY = 1 << 16;
const MAX_INT32 = 0x7fffffff;

export class TraceBuilder {
  private n = 0;
  private timeMs = new Float64Array(INITIAL_CAPACITY);
  private key = new Int32Array(INITIAL_CAPACITY);
  private op = new Uint8Array(INITIAL_CAPACITY);
  private valueSize = new Int32Array(INITIAL_CAPACITY);
  private readonly keys = new KeyInterner();
  private reads = 0;
  private reordered = 0;
  private originMs = Number.NaN;
  private lastRawMs = Number.NEGATIVE_INFINITY;
  private lastOutMs = 0;
  private untimedIndex = 0;
  /** Every timestamp so far was a whole second. */
  private spreading = true;
  private groupStart = 0;
  private groupRawMs = Number.NaN;
  /** No further line can be selected. */
  done = false;

  constructor(private readonly selection: Selection) {}

  add(line: ParsedLine): void {
    if (this.done) return;
    if (Number.isNaN(line.timeMs)) {
      this.addUntimed(line);
      return;
    }
    let raw = line.timeMs;
    if (raw < this.lastRawMs) {
      raw = this.lastRawMs;
      this.reordered++;
    }
    this.lastRawMs = raw;
    if (Number.isNaN(this.originMs)) this.originMs = raw;
    const fromStart = raw - this.originMs;
    if (fromStart < this.selection.startMs) return;
    if (fromStart >= this.selection.endMs) {
      this.stop();
      return;
    }
    if (this.spreading && !line.wholeSecond) {
      this.closeGroup();
      this.spreading = false;
    }
    if (this.spreading && raw !== this.groupRawMs) {
      this.closeGroup();
      this.groupStart = this.n;
      this.groupRawMs = raw;
    }
    const id = this.intern(line);
    const t = Math.max(fromStart - this.selection.startMs, this.lastOutMs);
    for (let i = 0; i < line.count && !this.done; i++) this.push(t, id, line);
  }

  finish(): BuiltTrace {
    this.closeGroup();
    const n = this.n;
    const keys = this.keys;
    return {
      timeMs: this.timeMs.slice(0, n),
      key: this.key.slice(0, n),
      op: this.op.slice(0, n),
      valueSize: this.valueSize.slice(0, n),
      requests: n,
      reads: this.reads,
      writes: n - this.reads,
      uniqueKeys: this.keys.size,
      keyName: (id) => keys.key(id),
      reordered: this.reordered,
      stoppedEarly: this.done,
    };
  }

  private addUntimed(line: ParsedLine): void {
    const { startMs, endMs, untimedSpacingMs } = this.selection;
    for (let i = 0; i < line.count && !this.done; i++) {
      const t = this.untimedIndex++ * untimedSpacingMs;
      if (t >= endMs) this.stop();
      else if (t >= startMs) this.push(t - startMs, this.intern(line), line);
    }
  }

  private intern(line: ParsedLine): number {
    return this.keys.id(line.line, line.keyFrom, line.keyTo);
  }

  private push(t: number, id: number, line: ParsedLine): void {
    if (this.n === this.timeMs.length) this.grow();
    const i = this.n++;
    this.timeMs[i] = t;
    this.key[i] = id;
    this.op[i] = line.read ? OP_READ : OP_WRITE;
    this.valueSize[i] = Math.min(line.valueSize, MAX_INT32);
    if (line.read) this.reads++;
    this.lastOutMs = t;
    if (this.n >= this.selection.limit) this.stop();
  }

  private stop(): void {
    this.closeGroup();
    this.done = true;
  }

  /** Spreads the current whole-second group evenly across its second. */
  private closeGroup(): void {
    const k = this.n - this.groupStart;
    if (!this.spreading || k <= 1 || Number.isNaN(this.groupRawMs)) return;
    const base = this.timeMs[this.groupStart] as number;
    for (let j = 1; j < k; j++) this.timeMs[this.groupStart + j] = base + (j * 1000) / k;
    this.lastOutMs = this.timeMs[this.n - 1] as number;
    this.groupStart = this.n;
  }

  private grow(): void {
    const needed = this.n + 1;
    this.timeMs = grown(this.timeMs, needed);
    this.key = grown(this.key, needed);
    this.op = grown(this.op, needed);
    this.valueSize = grown(this.valueSize, needed);
  }
}
