/**
 * `--rerun SNAPSHOT`: run a snapshot's configuration again. Each suite's
 * recorded settings are pinned for that suite and the run's own settings
 * (seed, speedup …) are taken back, so defaults that changed in the code
 * since do not change the rerun; flags given beside `--rerun` still win.
 */
import { UsageError } from '../errors.ts';
import type { BenchRequest } from './args.ts';
import { RUN, readRecordedSettings } from './resolve.ts';

/** What `--rerun` reads of a snapshot. */
export interface RecordedRun {
  config: Record<string, unknown>;
  suitesRun: string[];
  suites: Record<string, { settings?: Record<string, unknown> }>;
}

export function applyRerun(request: BenchRequest, recorded: RecordedRun, file: string): BenchRequest {
  const pinned: BenchRequest['pinned'] = {};
  for (const name of recorded.suitesRun) {
    const settings = recorded.suites[name]?.settings;
    if (settings === undefined || Object.keys(settings).length === 0) {
      throw new UsageError(
        `${file}: suite ${name} recorded no settings (a schemaVersion 1 snapshot?): expected a snapshot written by --rerun's version`,
      );
    }
    pinned[name] = readRecordedSettings(settings, `${file}: ${name}`);
  }
  // Where Redis and the source were: not settings (a rerun may use other servers), and the URLs were redacted.
  const {
    scenario,
    scenarioDescription,
    redis: _redis,
    redisServer: _server,
    source: _source,
    ...run
  } = recorded.config;
  pinned[RUN] = readRecordedSettings(run, `${file}: config`);
  const suites = request.suitesGiven
    ? request.suites
    : request.known.filter((name) => recorded.suitesRun.includes(name));
  return {
    ...request,
    pinned,
    suites,
    scenario: { name: String(scenario ?? 'rerun'), description: String(scenarioDescription ?? `rerun of ${file}`) },
    given: { ...request.given, suites },
  };
}
