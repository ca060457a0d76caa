/**
 * The seed's "rate limiting (counters with TTL)": a fixed window (INCR +
 * PEXPIRE in one script) against a sliding log (a sorted set trimmed and
 * counted in one script), both fed the same burst across a window boundary.
 * The requests carry their own times, so the replay is exact on any machine.
 */
import { burstAcross, fixedWindow, mostInAnyWindow, replay, slidingLog } from './lib/rateLimiters.ts';
import { runExample } from './shared.ts';

const LIMIT = 10;
/**
 * Request times are given, but a counter's TTL runs on the real clock from
 * its first request: a window of seconds keeps the replay far inside it even
 * when a loaded machine makes each round trip slow.
 */
const WINDOW_MS = 10_000;
/** The burst: 4x the limit, over 1 s each side of a boundary, so each side alone could fill a window. */
const SPAN_MS = 1000;
const REQUESTS = 4 * LIMIT;

await runExample('rate-limit', async ({ client, prefix }, stop) => {
  const settings = { limit: LIMIT, windowMs: WINDOW_MS };
  // The next clock-aligned boundary: the window before it has seen nothing yet.
  const boundary = (Math.floor(Date.now() / WINDOW_MS) + 1) * WINDOW_MS;
  const times = burstAcross(boundary, SPAN_MS, REQUESTS);
  const step = (2 * SPAN_MS) / REQUESTS;
  console.log(
    `limit ${LIMIT} per ${WINDOW_MS} ms; burst: ${REQUESTS} requests ${step} ms apart, ` +
      `from ${SPAN_MS} ms before a window boundary to ${SPAN_MS - step} ms after`,
  );
  const counts: Record<string, number> = {};
  for (const limiter of [fixedWindow(client, prefix, settings), slidingLog(client, prefix, settings)]) {
    const allowed = await replay(limiter, 'user:7', times, stop);
    const before = allowed.filter((at) => at < boundary).length;
    const most = mostInAnyWindow(allowed, WINDOW_MS);
    counts[limiter.name] = most;
    console.log(
      `  ${limiter.name.padEnd(12)} let ${allowed.length} of ${REQUESTS} through ` +
        `(${before} before the boundary, ${allowed.length - before} after); ` +
        `most within any ${WINDOW_MS} ms: ${most} = ${(most / LIMIT).toFixed(1)}x the limit`,
    );
  }
  console.log(
    `figure: within one window's length the fixed window let ${counts['fixed window']} through, ` +
      `the sliding log ${counts['sliding log']} (limit ${LIMIT})`,
  );
});
