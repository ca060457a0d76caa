/**
 * The throwaway cluster: N masters that agree on every slot, gone after
 * stop(), after a start that failed, and when the process exits without
 * stopping them; and a session on one that stops it when it closes.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.ts';
import { openSession } from '../../src/redis/openSession.ts';
import { startThrowawayCluster } from '../../src/redis/throwawayCluster.ts';
import { waitUntil } from '../helpers/chaos.ts';
import { ROOT } from '../helpers/cli.ts';
import { alive, childServers } from '../helpers/processes.ts';

describe('a throwaway cluster', () => {
  it('refuses fewer than 3 masters, naming the value', async () => {
    await expect(startThrowawayCluster(2)).rejects.toBeInstanceOf(UsageError);
    await expect(startThrowawayCluster(2)).rejects.toThrow(/"2".*from 3/);
  });

  it('stops every node it started when the cluster cannot be created', async () => {
    const before = childServers();
    // A later --cluster-enabled no wins: redis-cli then refuses to create the cluster.
    await expect(startThrowawayCluster(3, { args: ['--cluster-enabled', 'no'] })).rejects.toThrow(/cluster create/);
    expect(childServers()).toEqual(before);
  });

  it('backs a session whose close() stops every master', async () => {
    const session = await openSession({ kind: 'throwaway-cluster', masters: 3 });
    expect(session.mode).toBe('cluster');
    expect(session.display).toMatch(/^throwaway cluster of 3 masters on 127\.0\.0\.1:\d+,\d+,\d+$/);
    const pids = childServers();
    expect(pids.length).toBeGreaterThanOrEqual(3);
    await session.store.set(`${session.prefix}x`, 'v');
    expect(await session.close()).toEqual({ removedKeys: 0 });
    expect(pids.filter(alive)).toEqual([]);
  }, 60_000);

  it('is killed when its process exits without stopping it', async () => {
    const script =
      "import { startThrowawayCluster } from './src/redis/throwawayCluster.ts';" +
      'const c = await startThrowawayCluster(3); console.log(JSON.stringify(c.nodes.map((n) => n.pid)));' +
      'process.exit(0);';
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    const pids = JSON.parse(out) as number[];
    expect(pids).toHaveLength(3);
    await waitUntil(() => pids.filter(alive).length === 0, 5000);
  }, 60_000);
});
