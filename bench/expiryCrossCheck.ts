/**
 * `npx tsx bench/expiryCrossCheck.ts [STRATEGY] [-- more bench flags]`: the
 * stampede suite's expiry count checked against Redis's own. It starts a
 * throwaway redis-server with keyspace notifications on, counts the
 * `expired` events of the run's data keys (lock keys left out), runs one
 * stampede row (`--warmup 0`, so every expiry Redis sees falls in the
 * measured window) and prints both counts beside the loads.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { startRedisServer } from '../src/redis/redisServer.ts';

const [strategy = 'lock', ...extra] = process.argv.slice(2).filter((a) => a !== '--');
const server = await startRedisServer();
const dir = mkdtempSync(join(tmpdir(), 'cab-expiry-'));
const subscriber = createClient({ url: server.url });
try {
  await subscriber.connect();
  await subscriber.configSet('notify-keyspace-events', 'Ex');
  let expired = 0;
  await subscriber.subscribe('__keyevent@0__:expired', (key) => {
    if (!key.includes(':lock')) expired += 1;
  });
  const args = ['stampede', '--stampede', strategy, '--warmup', '0ms', '--duration', '6s', ...extra];
  const run = spawnSync(
    'npx',
    [
      'tsx',
      'bench/cli.ts',
      ...args,
      '--redis-url',
      server.url,
      '--no-save',
      '--quiet',
      '--json',
      join(dir, 'run.json'),
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (run.status !== 0) throw new Error(`the run exited ${run.status}`);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const snapshot = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
  for (const row of snapshot.suites.stampede.rows) {
    console.log(
      `${row.strategy} ttl=${row.ttlMs} ms: ${row.loads} loads, ${row.expiries} expiries counted by the harness, ` +
        `${expired} expired events from Redis; loads per expiry ${(row.loads / row.expiries).toFixed(3)} ` +
        `(by Redis's count ${(row.loads / expired).toFixed(3)})`,
    );
  }
} finally {
  await subscriber.quit().catch(() => {});
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
