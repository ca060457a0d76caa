/**
 * The snapshot users commit and diff (`schemaVersion: 2`, see the README).
 * Every number is finite; a figure that does not apply to a row is `null`.
 * Each suite's section holds the settings it ran with (production units) and
 * its own rows, whose shape the suite's record declares (src/suites/).
 * Version 1 snapshots (no settings, no harness figures) still load: `upgrade`
 * fills what they lack so `compare` can read both.
 */
import { z } from 'zod';
import { type Answer, answerSchema } from '../answer/types.ts';
import { SUITES } from '../suites/registry.ts';

export const SCHEMA_VERSION = 2;

export type RunStatus = 'complete' | 'degraded' | 'interrupted';

export interface SnapshotEnv {
  node: string;
  /** `mode: "cluster"` also lists the masters (`host:port`, in slot order). */
  redis: { version: string; mode: string; masters?: string[] };
  source: { kind: string; version: string; pool?: number };
  cpu: string;
  cores: number;
  os: string;
  gitCommit: string | null;
  /** How the harness timed its waits (`--timer`). */
  timer?: string;
}

export interface SuiteSection {
  /** Every option the suite resolved and ran with, in production units. */
  settings: Record<string, unknown>;
  rows: object[];
  [field: string]: unknown;
}

export interface Snapshot {
  schemaVersion: typeof SCHEMA_VERSION;
  createdAt: string;
  status: RunStatus;
  durationSec: number;
  env: SnapshotEnv;
  /** The run's own settings (scenario, seed, speedup …) and where Redis was, password redacted. */
  config: Record<string, unknown>;
  /** Redis command errors that reads survived by falling back, failed source reads, connection error events. */
  errors: { redis: number; source: number; connection: number };
  suitesRun: string[];
  suites: Record<string, SuiteSection>;
  /** The run's one answer to "which TTL?" (src/answer/); absent in snapshots older than it. */
  answer?: Answer;
}

/** Built per call from the registry, so every suite's own schema checks its own section. */
function envelope() {
  return z.looseObject({
    schemaVersion: z.union([z.literal(1), z.literal(SCHEMA_VERSION)]),
    createdAt: z.string(),
    status: z.enum(['complete', 'degraded', 'interrupted']),
    config: z.looseObject({ scenario: z.string() }),
    suites: z.looseObject(Object.fromEntries(SUITES.map((s) => [s.name, s.schema.optional()]))),
    answer: answerSchema.optional(),
  });
}

/** Checks what compare and the report rely on; other fields pass through untouched. Throws a zod error. */
export function validateSnapshot(data: unknown): Snapshot {
  const parsed = envelope().safeParse(data);
  if (!parsed.success) throw parsed.error;
  return upgrade(data as Record<string, unknown>);
}

/** A version 1 snapshot in version 2's shape: empty settings, no connection errors. */
function upgrade(data: Record<string, unknown>): Snapshot {
  if (data.schemaVersion === SCHEMA_VERSION) return data as unknown as Snapshot;
  const suites = Object.fromEntries(
    Object.entries((data.suites ?? {}) as Record<string, Record<string, unknown>>).map(([name, section]) => [
      name,
      { settings: {}, ...section },
    ]),
  );
  const errors = { connection: 0, ...(data.errors as Record<string, number>) };
  return { ...data, suites, errors, upgradedFrom: 1 } as unknown as Snapshot;
}
