/**
 * Reading and writing snapshot files. Users commit snapshots and diff them,
 * so a write is atomic (temp file, fsync, rename: a reader or a crash sees the
 * old file or the new one, never half of one) and a snapshot with NaN or
 * Infinity is refused before anything touches disk.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { SnapshotError, UsageError } from '../errors.ts';
import { SCHEMA_VERSION, type Snapshot, validateSnapshot } from './snapshotFormat.ts';

/** `$.suites.ttl-sweep.rows[2].p99Ms` from `['suites', 'ttl-sweep', 'rows', 2, 'p99Ms']`. */
function jsonPath(segments: readonly PropertyKey[]): string {
  return segments.map((s) => (typeof s === 'number' ? `[${s}]` : `.${String(s)}`)).join('');
}

/** Throws on NaN, ±Infinity and array holes: JSON would turn them into `null` and hide the bug. */
export function assertFinite(value: unknown, path = '$'): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new SnapshotError(`${path} is ${value} (snapshot numbers must be finite or null)`);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (item === undefined) throw new SnapshotError(`${path}[${i}] is undefined (use null)`);
      assertFinite(item, `${path}[${i}]`);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) assertFinite(item, `${path}.${key}`);
  }
}

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, ' ').trim();
}

/** Temp file in the target's directory, so the rename never crosses a filesystem. */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    const handle = await open(tmp, 'wx');
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true }).catch(() => {});
    throw new SnapshotError(`cannot write ${path}: ${oneLine(error)}`, { cause: error });
  }
}

/** `2026-11-25T19-06-41Z`: UTC, sorts by time, no `:` (not allowed in Windows file names). */
function fileTimestamp(createdAt: Date): string {
  if (Number.isNaN(createdAt.getTime())) throw new SnapshotError('snapshot createdAt is not a valid date');
  return createdAt
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(':', '-');
}

export function snapshotPaths(outDir: string, scenario: string, createdAt: Date): { json: string; markdown: string } {
  // The scenario becomes one directory name; a path or `..` must not escape outDir.
  const dirName = scenario.replace(/[^\w.-]/g, '_').replace(/^\.+$/, '_') || '_';
  const dir = join(outDir, dirName);
  return { json: join(dir, `${fileTimestamp(createdAt)}.json`), markdown: join(dir, 'latest.md') };
}

export async function saveSnapshot(
  snapshot: Snapshot,
  markdown: string,
  opts: { outDir: string; save: boolean; jsonFile?: string; beside?: readonly { file: string; content: string }[] },
): Promise<string[]> {
  assertFinite(snapshot);
  const json = `${JSON.stringify(snapshot, null, 2)}\n`;
  const scenario = snapshot.config.scenario;
  if (typeof scenario !== 'string') throw new SnapshotError('snapshot config.scenario is missing');
  // Resolve the paths before the first write so a bad createdAt writes nothing.
  const paths = opts.save ? snapshotPaths(opts.outDir, scenario, new Date(snapshot.createdAt)) : undefined;

  const written: string[] = [];
  if (paths) {
    await writeFileAtomic(paths.json, json);
    written.push(paths.json);
    await writeFileAtomic(paths.markdown, markdown);
    written.push(paths.markdown);
    // Charts and the HTML report, beside latest.md, which links them by these names.
    for (const { file, content } of opts.beside ?? []) {
      await writeFileAtomic(join(dirname(paths.markdown), file), content);
      written.push(join(dirname(paths.markdown), file));
    }
  }
  if (opts.jsonFile) {
    await writeFileAtomic(opts.jsonFile, json);
    written.push(opts.jsonFile);
  }
  return written;
}

export async function readSnapshot(path: string): Promise<Snapshot> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'it is a directory' : oneLine(error);
    throw new UsageError(`cannot read snapshot ${path}: ${why}`, { cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path} is not JSON: ${oneLine(error)}`, { cause: error });
  }
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version !== 'number') {
    throw new UsageError(`${path} is not a cache-aside-bench snapshot (no schemaVersion)`);
  }
  if (version !== 1 && version !== SCHEMA_VERSION) {
    throw new UsageError(`${path}: schemaVersion ${version} is not supported (expected 1 or ${SCHEMA_VERSION})`);
  }
  try {
    // The parsed JSON itself, not zod's output, so fields the schema does not list survive.
    return validateSnapshot(data);
  } catch (error) {
    const issue = error instanceof z.ZodError ? error.issues[0] : undefined;
    const where = issue ? `$${jsonPath(issue.path)}: ${oneLine(issue.message)}` : oneLine(error);
    throw new UsageError(`${path} is not a cache-aside-bench snapshot: ${where}`);
  }
}
