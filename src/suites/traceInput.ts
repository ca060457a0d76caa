/**
 * The trace a suite replays (`--trace`): read once per run, before anything
 * connects, so a bad file is refused (exit 2) without starting Redis; shared
 * by every suite that names the same file and selection. Its profile is said
 * once and saved in each suite's section as `trace`.
 */
import type { Settings } from '../config/options.ts';
import type { TraceProfile } from '../workload/trace/profile.ts';
import { profileTrace } from '../workload/trace/profile.ts';
import { readTrace, type Trace } from '../workload/trace/readTrace.ts';

export interface LoadedTrace {
  trace: Trace;
  profile: TraceProfile;
  /** Wall time of the read (parse, intern, select), ms. */
  readMs: number;
}

/** Untimed traces (cachebench without op_time) are spaced at this many requests/s (--trace-timing rate replaces it). */
export const UNTIMED_RATE = 1000;

/** What identifies one read of a trace: the file and the selection. */
export function traceKey(settings: Partial<Settings>): string | undefined {
  if (settings.trace === undefined) return undefined;
  return JSON.stringify([
    settings.trace,
    settings.traceFormat ?? null,
    settings.traceWindow ?? null,
    settings.traceLimit ?? null,
  ]);
}

export async function loadTrace(settings: Partial<Settings>): Promise<LoadedTrace> {
  const started = performance.now();
  const trace = await readTrace(settings.trace as string, {
    format: settings.traceFormat,
    window: settings.traceWindow,
    limit: settings.traceLimit,
    untimedRatePerSec: UNTIMED_RATE,
  });
  const readMs = performance.now() - started;
  return { trace, profile: profileTrace(trace), readMs };
}

/** The lines a run says when it has read a trace. */
export function describeTrace({ trace, profile, readMs }: LoadedTrace): string[] {
  const lines: string[] = [];
  const how = trace.formatSniffed ? `format ${trace.format} (sniffed from its first line)` : `format ${trace.format}`;
  const rate = readMs > 0 ? `, ${Math.round(trace.lines / (readMs / 1000)).toLocaleString('en-US')} lines/s` : '';
  lines.push(
    `trace: ${trace.file}, ${how}: ${trace.lines.toLocaleString('en-US')} lines read in ${(readMs / 1000).toFixed(2)} s${rate}`,
  );
  if (trace.malformed > 0) {
    const first = trace.malformedExamples
      .map((m) => `line ${m.lineNumber}: ${JSON.stringify(m.text.slice(0, 80))}`)
      .join('; ');
    lines.push(`trace: ${trace.malformed} malformed lines skipped (${first})`);
  }
  if (!trace.timed)
    lines.push(
      `trace: no timestamps in this layout: requests spaced at ${UNTIMED_RATE}/s (--trace-timing rate sets another rate)`,
    );
  if (trace.reordered > 0) lines.push(`trace: ${trace.reordered} timestamps went backwards and were clamped`);
  lines.push(`trace profile: ${profileLine(profile)}`);
  lines.push(`trace as synthetic flags: ${profile.synthetic}`);
  return lines;
}

/** The profile in one line, for logs and table notes. */
export function profileLine(p: TraceProfile): string {
  const zipf =
    p.zipfExponent === null ? 'zipf n/a' : `zipf ${p.zipfExponent.toFixed(3)} (R² ${(p.zipfFitR2 ?? 0).toFixed(3)})`;
  const n = (x: number) => x.toLocaleString('en-US');
  return `${n(p.requests)} requests (${n(p.reads)} reads, ${n(p.writes)} writes), ${n(p.uniqueKeys)} keys, ${p.durationSec.toFixed(1)} s, format ${p.format}, ${zipf}`;
}
