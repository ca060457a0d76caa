/**
 * The one seeded generator behind every random choice: sfc32 (Chris Doty-
 * Humphrey's Small Fast Counting generator, passes PractRand to 2^60 bytes),
 * seeded through splitmix32 so that nearby seeds give unrelated streams.
 * Same seed, same sequence, on every machine. A class, not closures, so every
 * generator shares one hidden shape and the samplers' hot loops stay
 * monomorphic.
 */
const TWO_POW_32 = 4294967296;

export interface Rng {
  /** Uniform on [0, 1) with 32 bits of resolution. */
  next(): number;
  /** Uniform on (0, 1]: safe under `Math.log`. */
  nextOpen(): number;
  /** Exponential with the given mean. */
  exponential(mean: number): number;
  /** An independent generator derived from this one's seed and a label (one per concern). */
  fork(label: string): Rng;
}

class Sfc32 implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d = 1;

  constructor(private readonly seed: number) {
    let s = seed >>> 0;
    const splitmix = () => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitmix();
    this.b = splitmix();
    this.c = splitmix();
    // Discard the first outputs: sfc32's state mixes in after a few rounds.
    for (let i = 0; i < 12; i++) this.next32();
  }

  next32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform on [0, 1) with 32 bits of resolution. */
  next(): number {
    return this.next32() / TWO_POW_32;
  }

  /** Uniform on (0, 1]: safe under `Math.log`. */
  nextOpen(): number {
    return (this.next32() + 1) / TWO_POW_32;
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(this.nextOpen());
  }

  /** An independent generator derived from this one's seed and a label (one per concern). */
  fork(label: string): Rng {
    return new Sfc32((this.seed ^ hashLabel(label)) >>> 0);
  }
}

export function createRng(seed: number): Rng {
  return new Sfc32(seed);
}

/** FNV-1a of a label, to derive per-concern seeds. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
