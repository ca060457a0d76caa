/**
 * Colours and type that read on GitHub's light (#ffffff) and dark (#0d1117,
 * dimmed #22272e) backgrounds alike. The background stays transparent. An
 * SVG shown through `<img>` follows the OS colour scheme, not GitHub's theme
 * setting, so the two can disagree: every colour here, including the ones the
 * dark media query switches to, keeps at least 3:1 contrast (WCAG 1.4.11 for
 * graphics) on all three backgrounds. Contrast ratios white / dark / dimmed:
 *   #2f81f7 3.75/5.05/4.01   #d55e00 3.87/4.89/3.89   #1a9850 3.72/5.09/4.04
 *   #8957e5 4.61/4.11/3.26   #c2418b 4.75/3.99/3.16   #0a9396 3.73/5.07/4.03
 *   text #6e7781 4.55/4.16/3.30, dark-scheme text #8d96a0 3.00/6.31/5.01
 */

export const PALETTE = ['#2f81f7', '#d55e00', '#1a9850', '#8957e5', '#c2418b', '#0a9396'] as const;

/** Reference lines and other figures that are not a series of their own. */
export const NEUTRAL = '#6e7781';

export function paletteColor(index: number): string {
  return PALETTE[index % PALETTE.length] as string;
}

export type LineStyle = 'solid' | 'dashed' | 'dotted' | 'none';

export const DASH: Record<LineStyle, string | undefined> = {
  solid: undefined,
  dashed: '7 4',
  dotted: '1.5 3.5',
  none: undefined,
};

export const FONT_SIZE = 12;
/** Average advance of a 12 px system-ui glyph, for laying out legends without measuring text. */
export const CHAR_WIDTH = 6.6;

/**
 * Identical in every chart, so that several charts inlined into one HTML page
 * (where an SVG `<style>` applies to the whole document) agree with each other.
 */
export const STYLE = [
  '.cab-chart{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;font-size:12px}',
  '.cab-text{fill:#6e7781}',
  '.cab-title{fill:#6e7781;font-size:14px;font-weight:600}',
  '.cab-axis{stroke:#6e7781;fill:none}',
  '.cab-grid{stroke:#8c959f;stroke-opacity:.3;fill:none}',
  '@media (prefers-color-scheme:dark){.cab-text,.cab-title{fill:#8d96a0}.cab-axis{stroke:#8d96a0}}',
].join('');
