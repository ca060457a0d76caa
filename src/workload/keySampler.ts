/**
 * Which key each request reads or writes. Draws are O(1) with Vose's alias
 * table (Vose, "A linear algorithm for generating random numbers with a given
 * distribution", IEEE TSE 1991): one column picked uniformly, then a biased
 * coin between the column's own id and its alias.
 *
 * Skewed profiles are spread over the id space by a seeded permutation (YCSB's
 * "scrambled zipfian"), so hot keys are not all at the low ids. `probabilities`
 * is indexed by id and is exactly the profile the sampler draws from, so the
 * model in `model.ts` predicts for the same workload.
 */
import type { KeyDistribution } from '../config/types.ts';
import type { Rng } from './rng.ts';

export interface KeySampler {
  readonly keys: number;
  /** Next key id, 1..keys. O(1). */
  next(): number;
  /** Probability of each id: probabilities[id - 1]. Same profile the sampler draws from. */
  readonly probabilities: Float64Array;
  /**
   * The same profile (the same hot ids) drawn from another stream: writers use
   * it so that the rows written most are the rows read most, with their own
   * sequence of draws.
   */
  withRng(rng: Rng): KeySampler;
}

/** Table slots (2 per key) are indexed with int32 arithmetic, so this is the largest key space. */
const MAX_KEYS = 0x3fffffff;
const TWO_POW_32 = 4294967296;

export function createKeySampler(dist: KeyDistribution, keys: number, rng: Rng): KeySampler {
  if (!Number.isInteger(keys) || keys < 1 || keys > MAX_KEYS) {
    throw new RangeError(`keys must be an integer in 1..${MAX_KEYS}, got ${keys}`);
  }
  if (dist.kind === 'uniform') return new UniformSampler(keys, rng);
  const probabilities = dist.kind === 'zipf' ? zipfProfile(dist.s, keys, rng) : hotspotProfile(dist, keys, rng);
  return new AliasSampler(probabilities, rng);
}

/*
 * Classes rather than closures: a `sampler.next()` call site then sees one
 * prototype method per kind, which V8 can inline, however many samplers the
 * process holds (read keys, written keys, one per run).
 */

/** No table needed: every column would keep its own id. */
class UniformSampler implements KeySampler {
  readonly probabilities: Float64Array;
  constructor(
    readonly keys: number,
    private readonly rng: Rng,
  ) {
    this.probabilities = new Float64Array(keys).fill(1 / keys);
  }
  next(): number {
    return ((this.rng.next() * this.keys) | 0) + 1;
  }
  withRng(rng: Rng): KeySampler {
    return new UniformSampler(this.keys, rng);
  }
}

class AliasSampler implements KeySampler {
  readonly keys: number;
  private readonly table: Uint32Array;
  constructor(
    readonly probabilities: Float64Array,
    private readonly rng: Rng,
    table?: Uint32Array,
  ) {
    this.keys = probabilities.length;
    this.table = table ?? buildAliasTable(probabilities);
  }
  withRng(rng: Rng): KeySampler {
    return new AliasSampler(this.probabilities, rng, this.table);
  }
  next(): number {
    // Two uniforms: splitting one 32-bit uniform into column and coin would
    // leave only 32 - log2(keys) bits (12 at 10^6 keys) for the coin, which
    // visibly biases keys far colder than 1/keys.
    const slot = ((this.rng.next() * this.keys) | 0) << 1;
    // rng.next() * 2^32 is the generator's raw 32-bit integer, compared exactly.
    return this.rng.next() * TWO_POW_32 < (this.table[slot] as number)
      ? (slot >>> 1) + 1
      : (this.table[slot + 1] as number);
  }
}

/** Rank r has weight r^-s; rank r is id perm[r - 1]. */
function zipfProfile(s: number, keys: number, rng: Rng): Float64Array {
  if (!Number.isFinite(s) || s < 0) throw new RangeError(`zipf exponent must be finite and >= 0, got ${s}`);
  const perm = permutation(keys, rng.fork('zipf-scramble'));
  const weights = new Float64Array(keys);
  // Sum from the smallest weight up so the tail is not lost to rounding.
  let total = 0;
  for (let r = keys; r >= 1; r--) {
    const w = r ** -s;
    weights[r - 1] = w;
    total += w;
  }
  const probabilities = new Float64Array(keys);
  for (let r = 0; r < keys; r++) probabilities[perm[r] as number] = (weights[r] as number) / total;
  return probabilities;
}

/**
 * ceil(F·N) hot ids, chosen by a seeded permutation, share Q of the draws;
 * the rest share 1 − Q. If every id is hot (tiny N), the profile is uniform.
 */
function hotspotProfile(dist: { hotFraction: number; hotOpsFraction: number }, keys: number, rng: Rng): Float64Array {
  const { hotFraction: f, hotOpsFraction: q } = dist;
  if (!(f > 0 && f <= 1)) throw new RangeError(`hotspot key fraction must be in (0, 1], got ${f}`);
  if (!(q >= 0 && q <= 1)) throw new RangeError(`hotspot ops fraction must be in [0, 1], got ${q}`);
  // The epsilon keeps 0.7 * 10 = 7.000000000000001 at 7 hot keys, not 8.
  const hot = Math.min(keys, Math.max(1, Math.ceil(f * keys - 1e-9)));
  const probabilities = new Float64Array(keys);
  if (hot === keys) return probabilities.fill(1 / keys);
  probabilities.fill((1 - q) / (keys - hot));
  const perm = permutation(keys, rng.fork('hotspot-scramble'));
  for (let i = 0; i < hot; i++) probabilities[perm[i] as number] = q / hot;
  return probabilities;
}

/** Fisher–Yates shuffle of 0..n-1. */
function permutation(n: number, rng: Rng): Int32Array {
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = (rng.next() * (i + 1)) | 0;
    const t = perm[i] as number;
    perm[i] = perm[j] as number;
    perm[j] = t;
  }
  return perm;
}

/**
 * Vose's alias method. Column i keeps id i+1 when the 32-bit coin is below
 * table[2i] and otherwise returns table[2i+1], an id (1-based, to save an add
 * per draw). Threshold and alias sit side by side so that a draw touches one
 * cache line: at 10^6 keys the table (8 MB) does not fit in L2, and two
 * separate arrays cost two cache misses per draw.
 */
function buildAliasTable(probabilities: Float64Array): Uint32Array {
  const n = probabilities.length;
  const coin = new Float64Array(n);
  const table = new Uint32Array(2 * n);
  // One worklist holds both stacks: small grows from the front, large from the back.
  const work = new Int32Array(n);
  let small = 0;
  let large = n;
  for (let i = 0; i < n; i++) {
    const scaled = (probabilities[i] as number) * n;
    coin[i] = scaled;
    table[2 * i + 1] = i + 1;
    if (scaled < 1) work[small++] = i;
    else work[--large] = i;
  }
  while (small > 0 && large < n) {
    const lo = work[--small] as number;
    const hi = work[large++] as number;
    table[2 * lo + 1] = hi + 1;
    // (hi + lo) − 1 rather than hi − (1 − lo): the stable order of Vose's paper.
    const rest = (coin[hi] as number) + (coin[lo] as number) - 1;
    coin[hi] = rest;
    if (rest < 1) work[small++] = hi;
    else work[--large] = hi;
  }
  // Whatever is left is 1 up to rounding. Their alias is still their own id,
  // so the threshold (which cannot hold 2^32) does not matter for them.
  while (small > 0) coin[work[--small] as number] = 1;
  while (large < n) coin[work[large++] as number] = 1;
  for (let i = 0; i < n; i++) table[2 * i] = Math.min(TWO_POW_32 - 1, Math.floor((coin[i] as number) * TWO_POW_32));
  return table;
}
