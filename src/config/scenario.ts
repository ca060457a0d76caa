/**
 * `--scenario NAME|FILE`: a JSON workload preset whose fields use the same
 * syntax as the flags, so a scenario reads like the command line it replaces.
 * Its schema is derived from the option table: every option with a scenario
 * field, plus `description`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { UsageError } from '../errors.ts';
import { quote, suggest } from './messages.ts';
import { fieldOf, type OptionSpec } from './option.ts';
import { OPTIONS, type Settings } from './options.ts';
import { redactUrl } from './redisTarget.ts';

/** Resolved from this file, not the cwd, so `--scenario default` works from any directory. */
export const SCENARIO_DIR = fileURLToPath(new URL('../../bench/scenarios/', import.meta.url));

export interface Scenario {
  name: string;
  description: string;
  /** The fields it sets, parsed. */
  values: Partial<Settings>;
}

const FIELDS = new Map<string, OptionSpec>(
  (OPTIONS as readonly OptionSpec[]).flatMap((o) => {
    const field = fieldOf(o);
    return field === undefined ? [] : [[field, o] as const];
  }),
);
const FIELD_NAMES = ['description', ...FIELDS.keys()];

const JSON_TYPE = {
  number: () => z.number(),
  string: () => z.string(),
  switch: () => z.boolean(),
  list: () => z.array(z.string()),
} as const;

const schema = z.strictObject({
  description: z.string(),
  ...Object.fromEntries([...FIELDS].map(([field, o]) => [field, JSON_TYPE[o.type]().optional()])),
});

/** A field's example as JSON, for messages: `10000`, `"zipf:0.99"`, `true`, `["ttl-sweep"]`. */
function exampleOf(o: OptionSpec): string {
  if (o.type === 'switch') return 'true';
  if (o.type === 'list') return '["ttl-sweep", "freshness"]';
  const example = o.example ?? (o.default === undefined ? '' : o.format(o.default));
  return o.type === 'number' ? example.replace(/%$/, '') : JSON.stringify(example);
}

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
  const { description, ...fields } = result.data as { description: string } & Record<string, unknown>;
  if (description.trim() === '' || /[\r\n]/.test(description)) {
    throw new UsageError(`${where}: field description ${quote(description)}: expected one non-empty line of text`);
  }
  const values: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(fields)) {
    const o = FIELDS.get(field) as OptionSpec;
    if (value === undefined) continue;
    const raw = Array.isArray(value) ? value.join(',') : String(value);
    values[o.key] = o.parse(`${where}: field ${field}`, raw);
  }
  if (values.rate !== undefined && values.concurrency !== undefined) {
    throw new UsageError(
      `${where}: fields rate and concurrency are both set: expected one of them (open or closed loop)`,
    );
  }
  return { name, description, values: values as Partial<Settings> };
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
  const spec = FIELDS.get(field);
  const example = field === 'description' ? '"10,000 products, zipf reads"' : spec ? exampleOf(spec) : '';
  const path = [field, ...rest.map((index) => `[${index}]`)].join('');
  if (value === undefined) return `missing field ${field}: expected a string such as ${example}`;
  const expected = rest.length > 0 ? 'a string' : `${issue.code === 'invalid_type' ? issue.expected : 'a value'}`;
  const such = rest.length > 0 || example === '' ? '' : ` such as ${example}`;
  const shown = redactUrl(JSON.stringify(value) ?? String(value)).slice(0, 80);
  const type = value === null ? '' : ` (${typeName(value)})`;
  return `field ${path} is ${shown}${type}: expected ${article(expected)}${such}`;
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
