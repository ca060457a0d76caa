/**
 * The example scripts as child processes, run as `node --import tsx
 * examples/NAME.ts` (no npx wrapper, so a signal reaches the script itself),
 * with no REDIS_* of the machine; and the check every example test ends
 * with: the server holds the user's keys, unchanged, and nothing else.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, expect } from 'vitest';
import type { RedisClient } from '../../src/redis/connection.ts';
import { scanKeys } from '../helpers/chaos.ts';
import { cliEnv, ROOT } from '../helpers/cli.ts';
import { type TestRedis, useRedisServer } from '../helpers/redis.ts';

export interface ExampleResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ExampleOptions {
  args?: string[];
  /** Added to an environment without the machine's REDIS_*; no REDIS_URL means a throwaway server. */
  env?: Record<string, string>;
  /** Killed after this long: the test then fails on the exit code. */
  killAfterMs?: number;
}

/** A test that runs a script: tsx alone takes seconds to start on a loaded 2-core machine. */
export const SCRIPT_TIMEOUT_MS = 120_000;

const running = new Set<ChildProcess>();
afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
});

export function startExample(
  name: string,
  options: ExampleOptions = {},
): { child: ChildProcess; stderr: () => string; result: Promise<ExampleResult> } {
  const child = spawn(process.execPath, ['--import', 'tsx', `examples/${name}.ts`, ...(options.args ?? [])], {
    cwd: ROOT,
    env: cliEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 90_000);
  const result = new Promise<ExampleResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
  return { child, stderr: () => stderr, result };
}

export function runExample(name: string, options: ExampleOptions = {}): Promise<ExampleResult> {
  return startExample(name, options).result;
}

/** The first capture of `pattern` in the output, as a number (commas dropped); fails when absent. */
export function figure(stdout: string, pattern: RegExp): number {
  const match = pattern.exec(stdout);
  expect(match, `output has no match for ${pattern}:\n${stdout}`).not.toBeNull();
  return Number((match?.[1] ?? '').replaceAll(',', ''));
}

export interface ExampleServer {
  redis: TestRedis;
  /** Database 0: where the scripts run (REDIS_URL) and the user's keys live. */
  client: RedisClient;
  /** Database 1, for the functions' own tests, so their keys never meet the scripts' checks. */
  scratch: RedisClient;
}

/**
 * A throwaway redis-server for the calling describe block, with a client on
 * databases 0 and 1: started in its beforeAll, stopped after the file.
 */
export function useExampleServer(): ExampleServer {
  const server = {} as ExampleServer;
  beforeAll(async () => {
    const redis = await useRedisServer();
    // Replies may be slow on a loaded machine: the examples allow 5 s (see examples/shared.ts), so do their tests.
    Object.assign(server, {
      redis,
      client: await redis.connect({ commandTimeoutMs: 5000 }),
      scratch: await redis.connect({ url: `${redis.url}/1`, commandTimeoutMs: 5000 }),
    });
  });
  return server;
}

/** The user's keys, before a run: one of them named like the example's own key, but outside any run prefix. */
export async function writeUserKeys(client: RedisClient, userKeys: Record<string, string>): Promise<void> {
  for (const [key, value] of Object.entries(userKeys)) await client.set(key, value);
}

/** The user's keys, written before a run, are all the server holds after it, with their values. */
export async function expectOnlyUserKeys(client: RedisClient, userKeys: Record<string, string>): Promise<void> {
  expect(await scanKeys(client)).toEqual(Object.keys(userKeys).sort());
  for (const [key, value] of Object.entries(userKeys)) expect(await client.get(key)).toBe(value);
}

/**
 * Runs example `name` against database 0 holding `userKeys`: it must exit 0
 * with nothing on stderr, remove its keys under its run prefix, and leave the
 * user's keys as they were. Returns what it printed.
 */
export async function runBesideUserKeys(
  server: ExampleServer,
  name: string,
  userKeys: Record<string, string>,
  args: string[] = [],
): Promise<string> {
  await writeUserKeys(server.client, userKeys);
  const result = await runExample(name, { args, env: { REDIS_URL: server.redis.url } });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(result.stdout).toContain(`${name}: Redis `);
  expect(result.stdout).toContain(`at ${server.redis.url}, keys under cab:`);
  expect(result.stdout).toMatch(/cleanup: removed \d+ key\(s\) under cab:[0-9a-f]{8}:\n$/);
  await expectOnlyUserKeys(server.client, userKeys);
  return result.stdout;
}
