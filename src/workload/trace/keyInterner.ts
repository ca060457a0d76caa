/**
 * Key text → id 1..size, read straight out of the line (no substring per
 * request). Open addressing over an Int32Array of [id, hash] pairs, FNV-1a
 * hashes, and the text of each key copied once into one UTF-16 arena.
 *
 * Why not a Map<string, number>: reading a 3 M-line twitter-layout file with
 * 475 k keys and interning field 2 (each variant run twice in turn, on this
 * repository's busy shared 2-core machine), a Map reached 0.11–0.23 M lines/s
 * with substring keys (and each key kept its whole 64 KiB readline chunk
 * alive, so the file's text stayed in memory), 0.31–0.40 M/s with copied
 * keys, and this table 0.66–0.68 M/s, holding the keys in 2 bytes a character.
 */
import { grown } from './grown.ts';

const SLOT = 4;

export class KeyInterner {
  private mask = (1 << 12) - 1;
  private slotMask = (SLOT << 12) - 1;
  /** Slots of [id, hash, arena offset, length]: a lookup touches one slot and the arena. 0 is empty. */
  private table = new Int32Array(SLOT << 12);
  private start = new Int32Array(1 << 10);
  private length = new Int32Array(1 << 10);
  private chars = new Uint16Array(1 << 14);
  private used = 0;
  size = 0;

  /** The id of `text.slice(from, to)`, added when new. */
  id(text: string, from: number, to: number): number {
    let h = 0x811c9dc5;
    for (let i = from; i < to; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    h |= 0; // int32, as the table stores it (the empty key never went through Math.imul)
    const table = this.table;
    const n = to - from;
    let at = (h & this.mask) * SLOT;
    for (;;) {
      const id = table[at] as number;
      if (id === 0) return this.add(at, h, text, from, to);
      if (table[at + 1] === h && table[at + 3] === n && this.equals(table[at + 2] as number, text, from, n)) return id;
      at = (at + SLOT) & this.slotMask;
    }
  }

  /** The text of an id. */
  key(id: number): string {
    const from = this.start[id] as number;
    let text = '';
    // In slices: String.fromCharCode takes its arguments on the stack.
    for (let i = from; i < from + (this.length[id] as number); i += 4096) {
      text += String.fromCharCode(...this.chars.subarray(i, Math.min(i + 4096, from + (this.length[id] as number))));
    }
    return text;
  }

  private equals(at: number, text: string, from: number, n: number): boolean {
    const chars = this.chars;
    for (let i = 0; i < n; i++) if (chars[at + i] !== text.charCodeAt(from + i)) return false;
    return true;
  }

  private add(at: number, hash: number, text: string, from: number, to: number): number {
    const id = ++this.size;
    const n = to - from;
    if (id >= this.start.length) {
      this.start = grown(this.start, id + 1);
      this.length = grown(this.length, id + 1);
    }
    if (this.used + n > this.chars.length) this.chars = grown(this.chars, this.used + n);
    for (let i = 0; i < n; i++) this.chars[this.used + i] = text.charCodeAt(from + i);
    this.start[id] = this.used;
    this.length[id] = n;
    this.used += n;
    this.table[at] = id;
    this.table[at + 1] = hash;
    this.table[at + 2] = this.used - n;
    this.table[at + 3] = n;
    // Keep the table at most half full: probes stay short.
    if (2 * this.size > this.mask) this.rehash();
    return id;
  }

  private rehash(): void {
    const old = this.table;
    this.mask = 2 * this.mask + 1;
    this.slotMask = (this.mask + 1) * SLOT - 1;
    this.table = new Int32Array((this.mask + 1) * SLOT);
    for (let i = 0; i < old.length; i += SLOT) {
      if (old[i] === 0) continue;
      let at = ((old[i + 1] as number) & this.mask) * SLOT;
      while (this.table[at] !== 0) at = (at + SLOT) & this.slotMask;
      this.table.set(old.subarray(i, i + SLOT), at);
    }
  }
}
