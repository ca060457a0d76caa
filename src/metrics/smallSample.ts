/**
 * Issue 9, "Small samples say so": a ratio built on fewer than 30 events
 * shows its 95% interval, or is flagged. At 30 events the exact Poisson
 * interval already spans −33% to +43% of the count (Garwood: 20.2 to 42.8),
 * and below it the spread grows fast (10 events: −52% to +84%), so a figure
 * printed without it would read as far more certain than it is.
 */
export const SMALL_SAMPLE_EVENTS = 30;

/** True when a figure rests on fewer than `SMALL_SAMPLE_EVENTS` events (expiries, stale reads, misses). */
export function smallSample(events: number): boolean {
  return events < SMALL_SAMPLE_EVENTS;
}
