/**
 * The comma-separated fields of one line, as offsets into it: no array of
 * substrings per line. Numbers are read digit by digit; anything unusual
 * (spaces, exponents, signs) falls back to `Number` on the field's text.
 */
export const MAX_FIELDS = 64;

export class Fields {
  line = '';
  /** Fields in the line; beyond MAX_FIELDS only counted. */
  count = 0;
  private readonly starts = new Int32Array(MAX_FIELDS);
  private readonly ends = new Int32Array(MAX_FIELDS);

  split(line: string): number {
    this.line = line;
    let from = 0;
    let n = 0;
    for (;;) {
      const comma = line.indexOf(',', from);
      const end = comma === -1 ? line.length : comma;
      if (n < MAX_FIELDS) {
        this.starts[n] = from;
        this.ends[n] = end;
      }
      n++;
      if (comma === -1) break;
      from = comma + 1;
    }
    this.count = n;
    return n;
  }

  start(i: number): number {
    return this.starts[i] as number;
  }

  end(i: number): number {
    return this.ends[i] as number;
  }

  empty(i: number): boolean {
    return this.starts[i] === this.ends[i];
  }

  text(i: number): string {
    return this.line.slice(this.starts[i], this.ends[i]);
  }

  /** A finite number >= 0, or NaN (the empty field too). */
  number(i: number): number {
    const line = this.line;
    const end = this.ends[i] as number;
    let p = this.starts[i] as number;
    if (p === end) return Number.NaN;
    let whole = 0;
    let digit = 0;
    for (; p < end; p++) {
      digit = line.charCodeAt(p) - 48;
      if (digit < 0 || digit > 9) break;
      whole = whole * 10 + digit;
    }
    if (p === end) return whole;
    if (digit === -2 && p > (this.starts[i] as number)) {
      // '.' after at least one digit: the fraction, as digits over a power of ten.
      let fraction = 0;
      let scale = 1;
      for (p++; p < end; p++) {
        digit = line.charCodeAt(p) - 48;
        if (digit < 0 || digit > 9) break;
        fraction = fraction * 10 + digit;
        scale *= 10;
      }
      if (p === end) return whole + fraction / scale;
    }
    const value = Number(this.text(i));
    return value >= 0 && value !== Number.POSITIVE_INFINITY ? value : Number.NaN;
  }

  /** A whole number >= 1 (op_count), or NaN. */
  count1(i: number): number {
    const value = this.number(i);
    return Number.isInteger(value) && value >= 1 ? value : Number.NaN;
  }

  /** get, gets or get_lease in any case: the reads. Other text is a write; an empty op is NaN-like: undefined. */
  isRead(i: number): boolean | undefined {
    const line = this.line;
    const from = this.starts[i] as number;
    const n = (this.ends[i] as number) - from;
    if (n === 0) return undefined;
    const first = line.charCodeAt(from);
    const last = line.charCodeAt(from + n - 1);
    if (first === 32 || last === 32 || first === 9 || last === 9) {
      const op = this.text(i).trim().toLowerCase();
      return op.length === 0 ? undefined : op === 'get' || op === 'gets' || op === 'get_lease';
    }
    // Lower-case ASCII letters by setting bit 5; 'g' 103, 'e' 101, 't' 116, 's' 115.
    if (n !== 3 && n !== 4 && n !== 9) return false;
    if ((first | 32) !== 103 || (line.charCodeAt(from + 1) | 32) !== 101 || (line.charCodeAt(from + 2) | 32) !== 116) {
      return false;
    }
    if (n === 3) return true;
    if (n === 4) return (last | 32) === 115;
    return this.text(i).toLowerCase() === 'get_lease';
  }
}
