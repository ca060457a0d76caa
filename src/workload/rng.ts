/**
 * The one seeded generator behind every random choice: sfc32 (Chris Doty-
 * Humphrey's Small Fast Counting generator, passes PractRand to 2^60 bytes),
 * seeded through splitmix32 so that nearby seeds give unrelated streams.
 * Same seed, same sequence, on every machine.
 */
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

const TWO_POW_32 = 4294967296;

export function createRng(seed: number): Rng {
  let s = seed >>> 0;
  const splitmix = () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = 1;
  const next32 = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Discard the first outputs: sfc32's state mixes in after a few rounds.
  for (let i = 0; i < 12; i++) next32();
  const rng: Rng = {
    next: () => next32() / TWO_POW_32,
    nextOpen: () => (next32() + 1) / TWO_POW_32,
    exponential: (mean) => -mean * Math.log(rng.nextOpen()),
    fork: (label) => createRng((seed ^ hashLabel(label)) >>> 0),
  };
  return rng;
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
