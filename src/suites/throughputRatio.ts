/**
 * The cache-hit path's throughput as a share of a raw node-redis GET loop, on
 * the same client in the same run. The two are measured in alternating short
 * slices (ABBA…) and the median of the per-round ratios is kept, so that
 * drift on a noisy machine (another process taking a core for a second)
 * lands on both sides instead of on one.
 */
import { runClosedLoop } from '../load/drivers.ts';

export interface ThroughputRatio {
  /** Median over rounds of ops/s(a) / ops/s(b). */
  ratio: number;
  rounds: number[];
}

export async function pairedThroughputRatio(
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
  options: { concurrency: number; rounds: number; sliceMs: number; signal?: AbortSignal },
): Promise<ThroughputRatio | null> {
  const rate = async (fn: () => Promise<unknown>) => {
    const report = await runClosedLoop(
      options.concurrency,
      { warmupMs: 50, durationMs: options.sliceMs },
      {
        send: fn,
        done() {},
        signal: options.signal,
      },
    );
    return report.achievedRate;
  };
  const rounds: number[] = [];
  for (let round = 0; round < options.rounds && !options.signal?.aborted; round++) {
    // Alternate which side goes first so neither always follows the other.
    const [first, second] = round % 2 === 0 ? [a, b] : [b, a];
    const one = await rate(first);
    const two = await rate(second);
    const [rateA, rateB] = round % 2 === 0 ? [one, two] : [two, one];
    if (rateB > 0) rounds.push(rateA / rateB);
  }
  if (rounds.length === 0) return null;
  const sorted = [...rounds].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  const ratio =
    sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { ratio, rounds };
}
