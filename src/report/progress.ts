/**
 * A progress bar with ETA on long runs, only on a TTY and never under CI or
 * --quiet (then it is silent: tables only).
 */
import cliProgress from 'cli-progress';
import type { Progress } from '../suites/context.ts';

export type { Progress };

export const silentProgress: Progress = { start() {}, update() {}, stop() {} };

export function createProgress(quiet: boolean, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (quiet || !stream.isTTY) return silentProgress;
  const bar = new cliProgress.SingleBar(
    { format: '  {label} [{bar}] {percentage}% | ETA {eta}s', stream, clearOnComplete: true, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let running = false;
  return {
    start(label) {
      if (running) bar.stop();
      bar.start(100, 0, { label: label.padEnd(28) });
      running = true;
    },
    update(fraction) {
      if (running) bar.update(Math.round(Math.min(1, Math.max(0, fraction)) * 100));
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}
