/** How figures are written in tables: fixed rules, and `—` for a figure that does not apply. */
export const NA = '—';

export function fmtRatio(value: number | null): string {
  return value === null ? NA : value.toFixed(3);
}

export function fmtPct(value: number | null, digits = 2): string {
  return value === null ? NA : `${(value * 100).toFixed(digits)}%`;
}

/** Milliseconds with three significant digits (0.123, 1.23, 12.3, 123). */
export function fmtMs(value: number | null): string {
  if (value === null) return NA;
  if (value >= 100) return value.toFixed(0);
  return value.toPrecision(3);
}

export function fmtRate(value: number | null): string {
  if (value === null) return NA;
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1);
}

export function fmtCount(value: number): string {
  return value.toLocaleString('en-US');
}
