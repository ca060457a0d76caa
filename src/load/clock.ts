/**
 * Time for the load drivers, injectable so the scheduler's logic can be
 * tested on a fake clock.
 */
import { sleepUntil } from './preciseTimer.ts';

export interface Clock {
  /** Milliseconds, monotonic, sub-millisecond resolution. */
  now(): number;
  sleepUntil(targetMs: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleepUntil,
};
