/**
 * Which settings differ between two snapshots: the run's own (`config`) and
 * each suite's, written the way the flags spell them. A setting that changes
 * the workload (declared with the option) makes two runs incomparable.
 */
import type { OptionSpec } from '../config/option.ts';
import { OPTION_BY_KEY } from '../config/options.ts';
import type { Snapshot } from './snapshotFormat.ts';

export interface SettingDiff {
  /** `config` or the suite's name. */
  where: string;
  name: string;
  old: string;
  new: string;
  workload: boolean;
}

/** Recorded in `config` but not a measured setting: where Redis was, the run's label. */
const NOT_SETTINGS = new Set(['redis', 'scenario', 'scenarioDescription']);

function spell(spec: OptionSpec | undefined, value: unknown): string {
  if (value === undefined || value === null) return '-';
  try {
    return spec ? spec.format(value) : JSON.stringify(value);
  } catch {
    return JSON.stringify(value);
  }
}

function diffRecords(where: string, a: Record<string, unknown>, b: Record<string, unknown>): SettingDiff[] {
  const diffs: SettingDiff[] = [];
  for (const name of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (NOT_SETTINGS.has(name) || JSON.stringify(a[name]) === JSON.stringify(b[name])) continue;
    const spec = OPTION_BY_KEY.get(name);
    diffs.push({
      where,
      name: spec?.flag !== undefined ? `--${spec.flag}` : name,
      old: spell(spec, a[name]),
      new: spell(spec, b[name]),
      workload: spec?.workload === true,
    });
  }
  return diffs;
}

export function settingDiffs(oldSnap: Snapshot, newSnap: Snapshot): SettingDiff[] {
  const upgraded = (s: Snapshot) => (s as { upgradedFrom?: number }).upgradedFrom === 1;
  if (upgraded(oldSnap) || upgraded(newSnap)) return [];
  const diffs = diffRecords('config', oldSnap.config, newSnap.config);
  for (const name of new Set([...Object.keys(oldSnap.suites), ...Object.keys(newSnap.suites)])) {
    const a = oldSnap.suites[name]?.settings;
    const b = newSnap.suites[name]?.settings;
    if (a && b) diffs.push(...diffRecords(name, a, b));
  }
  return diffs;
}
