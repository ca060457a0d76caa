/**
 * The real CLI as a child process: `node --import tsx bench/cli.ts …`, run
 * directly (no npx wrapper) so a signal reaches the process that handles it.
 * Children still running after a test file and temp dirs it made are removed
 * after the file's tests.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** ms from the (first) signal to exit; undefined when no signal was sent. */
  stopMs?: number;
}

export interface CliOptions {
  /** Added to the environment, which has no REDIS_*, DEBUG or CI of the machine; `undefined` removes a key. */
  env?: Record<string, string | undefined>;
  /** Send `signal` (SIGINT by default) this long after the start, or after `signalWhen` first holds. */
  signalAfterMs?: number;
  signal?: NodeJS.Signals;
  /** Polled every 25 ms from the start, e.g. "the run has written keys"; a throw counts as false. */
  signalWhen?: (child: ChildProcess) => boolean | Promise<boolean>;
  /** Send it again as soon as stderr matches this after the first (the impatient second Ctrl-C). */
  againWhen?: RegExp;
  /** A child still running after this long is killed; the test then fails on its exit code. */
  killAfterMs?: number;
  /** Another command of the package, e.g. `bench/merge.ts`; bench/cli.ts when omitted. */
  script?: string;
}

export interface CliRun {
  child: ChildProcess;
  result: Promise<CliResult>;
}

const running = new Set<ChildProcess>();
const dirs: string[] = [];

afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function cliEnv(extra: CliOptions['env'] = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const key of Object.keys(env)) if (/^REDIS_|^DEBUG$|^CI$/.test(key)) delete env[key];
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export function startCli(args: string[], options: CliOptions = {}): CliRun {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', options.script ?? 'bench/cli.ts', ...args], {
    cwd: ROOT,
    env: cliEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  let signalledAt: number | undefined;
  const timers: NodeJS.Timeout[] = [];
  const signal = options.signal ?? 'SIGINT';
  let closed = false;
  const send = () => {
    if (signalledAt !== undefined || closed) return;
    signalledAt = performance.now();
    child.kill(signal);
  };
  let again = options.againWhen;
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (again && signalledAt !== undefined && again.test(stderr)) {
      again = undefined;
      child.kill(signal);
    }
  });
  const signalWhen = options.signalWhen;
  if (signalWhen) {
    const poll = async () => {
      const ready = await (async () => signalWhen(child))().catch(() => false);
      if (closed) return;
      timers.push(ready ? setTimeout(send, options.signalAfterMs ?? 0) : setTimeout(poll, 25));
    };
    void poll();
  } else if (options.signalAfterMs !== undefined) {
    timers.push(setTimeout(send, options.signalAfterMs));
  }
  timers.push(setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 60_000));
  const result = new Promise<CliResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      const ended = performance.now();
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      running.delete(child);
      resolve({
        code,
        stdout,
        stderr,
        durationMs: ended - started,
        ...(signalledAt === undefined ? {} : { stopMs: ended - signalledAt }),
      });
    });
  });
  return { child, result };
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return startCli(args, options).result;
}

/** Runs `tasks` with at most `limit` at a time, results in input order. */
export async function pool<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A temp dir removed after the file's tests. */
export function tempDir(label = 'cab-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), label));
  dirs.push(dir);
  return dir;
}

/** Every file under `dir`, relative, sorted. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

/** The one JSON snapshot saved under `dir`, parsed. */
export function savedSnapshot(dir: string): Record<string, unknown> & { status: string } {
  const json = filesUnder(dir).filter((file) => file.endsWith('.json'));
  if (json.length !== 1) throw new Error(`expected one snapshot under ${dir}, found ${json.join(', ') || 'none'}`);
  return JSON.parse(readFileSync(join(dir, json[0] as string), 'utf8')) as Record<string, unknown> & {
    status: string;
  };
}

/** The `redis-server` a CLI process started: its port and its temp dir (its cwd, from /proc). */
export function throwawayServer(pid: number | undefined): { port: number; dir: string } | undefined {
  if (pid === undefined) return undefined;
  const ps = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' });
  const match = /^\s*(\d+) redis-server \S*:(\d+)/m.exec(ps.stdout);
  if (!match) return undefined;
  return { port: Number(match[2]), dir: readlinkSync(`/proc/${match[1]}/cwd`) };
}

/** Stack-trace lines (`    at fn (file:1:2)`). */
export const STACK_LINE = /^\s+at /m;

/** The non-empty lines of an output. */
export function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.trim() !== '');
}
