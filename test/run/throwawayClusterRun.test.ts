import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CliOptions, errorLines, runCli, STACK_LINE, tempDir } from '../helpers/cli.ts';
import { alive, childServers } from '../helpers/processes.ts';

/** Runs the CLI, noting the masters it started while it runs (they are its children). */
async function runWatching(args: string[], options: CliOptions = {}) {
  const seen = new Set<number>();
  const result = await runCli(args, {
    killAfterMs: 120_000,
    ...options,
    signalWhen: (child) => {
      for (const pid of childServers(child.pid)) seen.add(pid);
      return options.signalWhen ? seen.size >= 3 && options.signalWhen(child) : false;
    },
  });
  return { result, servers: [...seen] };
}

const SHORT = ['ttl-sweep', '--ttl', '1s', '--rate', '500', '--duration', '1s', '--warmup', '500ms', '--no-save'];

describe('--throwaway-cluster', () => {
  it('runs on a cluster of N masters it started and stops them all at the end', async () => {
    const json = join(tempDir('cab-tc-'), 'run.json');
    const { result, servers } = await runWatching([...SHORT, '--throwaway-cluster', '3', '--json', json]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const snapshot = JSON.parse(readFileSync(json, 'utf8'));
    expect(snapshot.env.redis.mode).toBe('cluster');
    expect(snapshot.env.redis.masters).toHaveLength(3);
    expect(snapshot.config.throwawayCluster).toBe(3);
    expect(snapshot.config.redis).toMatch(/^throwaway cluster of 3 masters on 127\.0\.0\.1:/);
    expect(servers.length).toBeGreaterThanOrEqual(3);
    expect(servers.filter(alive)).toEqual([]);
  }, 150_000);

  it('stops every master when the run is interrupted', async () => {
    const { result, servers } = await runWatching([...SHORT.slice(0, -2), '5s', '--throwaway-cluster', '3'], {
      signalWhen: () => true,
      signalAfterMs: 1500,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/interrupted/);
    expect(servers.length).toBeGreaterThanOrEqual(3);
    expect(servers.filter(alive)).toEqual([]);
  }, 150_000);

  it.each([
    [
      ['--throwaway-cluster', '3', '--redis-url', 'redis://127.0.0.1:1'],
      /--throwaway-cluster 3 and --redis-url are both given/,
    ],
    [['--throwaway-cluster', '2'], /--throwaway-cluster "2".*from 3 to 32/],
  ])(
    'refuses %j in one line, exit 2',
    async (flags, message) => {
      const result = await runCli([...SHORT, ...flags]);
      expect(result.code).toBe(2);
      expect(errorLines(result.stderr)).toHaveLength(1);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(STACK_LINE);
    },
    60_000,
  );
});
