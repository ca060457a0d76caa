/**
 * `--scenario NAME|FILE`: a JSON workload preset whose fields use the same
 * syntax as the flags, so a scenario reads like the command line it replaces.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { UsageError } from '../errors.ts';
import { applyRules } from './optionRules.ts';
import { redactUrl } from './redisTarget.ts';
import type { BenchOptions } from './types.ts';
import { parseSuites, quote, suggest } from './values.ts';

/** Resolved from this file, not the cwd, so `--scenario default` works from any directory. */
export const SCENARIO_DIR = fileURLToPath(new URL('../../bench/scenarios/', import.meta.url));

export type ScenarioOverrides = Partial<
  Pick<
    BenchOptions,
    | 'suites'
    | 'keys'
    | 'dist'
    | 'writeDist'
    | 'ttl'
    | 'rate'
    | 'concurrency'
    | 'durationMs'
    | 'warmupMs'
    | 'sourceLatency'
    | 'writeRate'
    | 'invalidation'
    | 'stampede'
    | 'slidingTtl'
    | 'ttlJitterPct'
    | 'maxStalePct'
    | 'speedup'
    | 'seed'
  >
>;

export interface Scenario {
  name: string;
  description: string;
  overrides: ScenarioOverrides;
}

/** Each field with the example shown when its type is wrong. */
const FIELDS = {
  description: [z.string(), '"10,000 products, zipf reads"'],
  suites: [z.array(z.string()), '["ttl-sweep", "freshness"]'],
  keys: [z.number(), '10000'],
  dist: [z.string(), '"zipf:0.99"'],
  writeDist: [z.string(), '"uniform"'],
  ttl: [z.string(), '"0,2s,none"'],
  rate: [z.number(), '300'],
  concurrency: [z.number(), '8'],
  duration: [z.string(), '"5s"'],
  warmup: [z.string(), '"2s"'],
  sourceLatency: [z.string(), '"2ms"'],
  writeRate: [z.number(), '2'],
  invalidation: [z.string(), '"ttl,delete"'],
  stampede: [z.string(), '"none,single-flight"'],
  slidingTtl: [z.boolean(), 'true'],
  ttlJitter: [z.number(), '10'],
  maxStale: [z.number(), '1'],
  speedup: [z.number(), '60'],
  seed: [z.number(), '1'],
} as const;
type FieldName = keyof typeof FIELDS;
const FIELD_NAMES = Object.keys(FIELDS) as FieldName[];

const schema = z.strictObject({
  description: FIELDS.description[0],
  suites: FIELDS.suites[0].optional(),
  keys: FIELDS.keys[0].optional(),
  dist: FIELDS.dist[0].optional(),
  writeDist: FIELDS.writeDist[0].optional(),
  ttl: FIELDS.ttl[0].optional(),
  rate: FIELDS.rate[0].optional(),
  concurrency: FIELDS.concurrency[0].optional(),
  duration: FIELDS.duration[0].optional(),
  warmup: FIELDS.warmup[0].optional(),
  sourceLatency: FIELDS.sourceLatency[0].optional(),
  writeRate: FIELDS.writeRate[0].optional(),
  invalidation: FIELDS.invalidation[0].optional(),
  stampede: FIELDS.stampede[0].optional(),
  slidingTtl: FIELDS.slidingTtl[0].optional(),
  ttlJitter: FIELDS.ttlJitter[0].optional(),
  maxStale: FIELDS.maxStale[0].optional(),
  speedup: FIELDS.speedup[0].optional(),
  seed: FIELDS.seed[0].optional(),
});

function presetNames(): string[] {
  try {
    return readdirSync(SCENARIO_DIR)
      .filter((file) => file.endsWith('.json'))
      .map((file) => file.slice(0, -'.json'.length))
      .sort();
  } catch {
    return [];
  }
}

export function listScenarios(): { name: string; description: string }[] {
  return presetNames().map((name) => {
    try {
      return { name, description: loadScenario(name).description };
    } catch (error) {
      return { name, description: `(invalid: ${error instanceof Error ? error.message : String(error)})` };
    }
  });
}

export function loadScenario(ref: string, cwd: string = process.cwd()): Scenario {
  const presets = presetNames();
  const expected = `expected a preset (${presets.join(', ')}) or a path to a .json file`;
  const isFile = ref.includes('/') || ref.endsWith('.json');
  if (!isFile && !/^[a-z0-9-]+$/.test(ref)) throw new UsageError(`--scenario ${quote(ref)}: ${expected}`);
  const file = isFile ? resolve(cwd, ref) : resolve(SCENARIO_DIR, `${ref}.json`);
  const shown = isFile ? ref : `${ref}.json`;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw new UsageError(`scenario ${quote(shown)} could not be read (${code}): ${expected}`);
    const hint = isFile ? undefined : suggest(ref, presets);
    const mean = hint === undefined ? '' : `did you mean ${hint}? `;
    throw new UsageError(`scenario ${quote(shown)} not found: ${mean}${expected}`);
  }
  return parseScenario(basename(file, '.json'), shown, text);
}

/** Validates one scenario's JSON text; `shown` is how messages name the file. */
export function parseScenario(name: string, shown: string, text: string): Scenario {
  const where = `scenario ${shown}`;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = String(error instanceof Error ? error.message : error)
      .split('\n')[0]
      ?.slice(0, 100);
    throw new UsageError(`${where} is not valid JSON (${reason}): expected a JSON object with a "description" field`);
  }
  const result = schema.safeParse(json);
  if (!result.success) throw new UsageError(`${where}: ${describeIssue(result.error.issues, json)}`);
  const s = result.data;
  if (s.description.trim() === '' || /[\r\n]/.test(s.description)) {
    throw new UsageError(`${where}: field description ${quote(s.description)}: expected one non-empty line of text`);
  }
  const o: ScenarioOverrides = {};
  if (s.suites !== undefined) o.suites = parseSuites(s.suites, `${where}: field suites: `);
  if (s.slidingTtl !== undefined) o.slidingTtl = s.slidingTtl;
  const fields = s as Record<string, unknown>;
  applyRules(
    o,
    (r) => (r.field === undefined || fields[r.field] === undefined ? undefined : String(fields[r.field])),
    (r) => `${where}: field ${r.field}`,
  );
  if (o.rate !== undefined && o.concurrency !== undefined) {
    throw new UsageError(
      `${where}: fields rate and concurrency are both set: expected one of them (open or closed loop)`,
    );
  }
  return { name, description: s.description, overrides: o };
}

function describeIssue(issues: readonly z.core.$ZodIssue[], json: unknown): string {
  const issue = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0];
  if (issue === undefined) return 'invalid';
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const hint = suggest(key, FIELD_NAMES);
    const tail = hint === undefined ? `expected one of ${FIELD_NAMES.join(', ')}` : `did you mean "${hint}"?`;
    return `unknown field ${quote(key)}: ${tail}`;
  }
  const [field, ...rest] = issue.path.map(String);
  if (field === undefined) return `expected a JSON object with a "description" field, got ${typeName(json)}`;
  const value = issue.path.reduce<unknown>((v, key) => (v as Record<PropertyKey, unknown>)?.[key], json);
  const spec = FIELDS[field as FieldName];
  const path = [field, ...rest.map((index) => `[${index}]`)].join('');
  if (value === undefined) return `missing field ${field}: expected a string such as ${spec?.[1]}`;
  const expected = rest.length > 0 ? 'a string' : `${issue.code === 'invalid_type' ? issue.expected : 'a value'}`;
  const example = rest.length > 0 || spec === undefined ? '' : ` such as ${spec[1]}`;
  const shown = redactUrl(JSON.stringify(value) ?? String(value)).slice(0, 80);
  const type = value === null ? '' : ` (${typeName(value)})`;
  return `field ${path} is ${shown}${type}: expected ${article(expected)}${example}`;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return article(typeof value);
}

function article(word: string): string {
  if (word.startsWith('a ')) return word;
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}
