/**
 * A throwaway Redis Cluster: N local masters, each a throwaway redis-server
 * (redisServer.ts: free port, nothing on disk, killed if this process exits
 * without stopping it) started with `--cluster-enabled yes`, joined by
 * `redis-cli --cluster create … --cluster-replicas 0 --cluster-yes`. It is
 * ready once every node says `cluster_state:ok` and knows all N; `stop()`
 * stops them all, and so does a failed start.
 */
import { spawn, spawnSync } from 'node:child_process';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { RedisServerMissingError, UsageError } from '../errors.ts';
import { type RedisServerHandle, startRedisServer } from './redisServer.ts';

export interface ThrowawayClusterOptions {
  /** Extra `redis-server` arguments for every node. */
  args?: string[];
  /**
   * Redis's default (`yes`) refuses every command once one master is marked
   * failed (after cluster-node-timeout, 15 s), because its slots are no
   * longer covered: with no replicas here, one killed master would take the
   * whole cluster down. `false` (the default here) keeps the other masters
   * serving their slots, as a cluster whose replicas fail over would.
   */
  requireFullCoverage?: boolean;
}

export interface ThrowawayCluster {
  /** The masters, in slot order (the first holds slot 0): signal, restart, stop one for the tests. */
  readonly nodes: readonly RedisServerHandle[];
  readonly ports: readonly number[];
  readonly urls: readonly string[];
  /** Every node's URL, comma-separated: a seed list for `--redis-url`. */
  readonly seeds: string;
  stop(): Promise<void>;
}

export const MIN_MASTERS = 3;
export const MAX_MASTERS = 32;

export async function startThrowawayCluster(
  masters: number,
  options: ThrowawayClusterOptions = {},
): Promise<ThrowawayCluster> {
  if (!Number.isInteger(masters) || masters < MIN_MASTERS || masters > MAX_MASTERS) {
    throw new UsageError(
      `--throwaway-cluster "${masters}" is not valid: expected a whole number of masters from ${MIN_MASTERS} (the least redis-cli --cluster create accepts) to ${MAX_MASTERS}`,
    );
  }
  if (spawnSync('redis-cli', ['--version'], { stdio: 'ignore' }).status !== 0) {
    throw new RedisServerMissingError(
      'a throwaway cluster needs redis-cli, which is not installed: install redis-tools (apt-get install redis-server)',
    );
  }
  const args = [
    '--cluster-enabled',
    'yes',
    // Relative to the node's own temp dir (redis-server changes into --dir), so a restart finds it.
    '--cluster-config-file',
    'nodes.conf',
    '--cluster-require-full-coverage',
    options.requireFullCoverage ? 'yes' : 'no',
    ...(options.args ?? []),
  ];
  const nodes: RedisServerHandle[] = [];
  const stop = async () => {
    await Promise.all(nodes.splice(0).map((node) => node.stop()));
  };
  try {
    const started = await Promise.allSettled(
      (await clusterPorts(masters)).map((port) => startRedisServer({ args, port })),
    );
    for (const result of started) if (result.status === 'fulfilled') nodes.push(result.value);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    await createCluster(nodes.map((node) => `127.0.0.1:${node.port}`));
    await waitForClusterOk(nodes, 20_000);
  } catch (error) {
    await stop();
    throw error;
  }
  const all = [...nodes];
  return {
    nodes: all,
    ports: all.map((node) => node.port),
    urls: all.map((node) => node.url),
    seeds: all.map((node) => node.url).join(','),
    stop,
  };
}

/**
 * `count` free ports whose cluster bus ports (port + 10000, fixed by Redis
 * before 7.0 and its default since) are free too and below 65536: the
 * kernel's ephemeral range reaches 60999, and redis-server refuses a port
 * above 55535. Every pair is held open until all are found, so no two nodes
 * get the same port; then all are released for the servers to bind.
 */
async function clusterPorts(count: number): Promise<number[]> {
  const held: Server[] = [];
  const ports: number[] = [];
  try {
    for (let attempt = 0; ports.length < count; attempt++) {
      if (attempt >= 50 * count) throw new Error('found no free port pairs (P, P + 10000) for the cluster nodes');
      const main = await listen(0);
      if (!main) continue;
      held.push(main);
      const port = (main.address() as AddressInfo).port;
      const bus = port + 10_000 <= 65_535 ? await listen(port + 10_000) : undefined;
      if (!bus) continue;
      held.push(bus);
      ports.push(port);
    }
    return ports;
  } finally {
    await Promise.all(held.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

function listen(port: number): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** `redis-cli --cluster create`: assigns the slots evenly and makes the nodes meet. */
async function createCluster(addresses: string[]): Promise<void> {
  const child = spawn('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  if (code !== 0) {
    // redis-cli colours its output: keep the last line, without escapes.
    const last = log.replace(ANSI_COLOUR, '').trim().split('\n').pop();
    throw new Error(`redis-cli --cluster create ${addresses.join(' ')} failed (exit ${code}): ${last}`);
  }
}

/** Polls CLUSTER INFO on every node until each reports state ok and knows every node. */
async function waitForClusterOk(nodes: readonly RedisServerHandle[], timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let last = '';
  for (;;) {
    const states = await Promise.all(nodes.map((node) => clusterInfo(node.port)));
    const ready = states.every(
      (info) =>
        /^cluster_state:ok\r?$/m.test(info) && Number(/^cluster_known_nodes:(\d+)/m.exec(info)?.[1]) === nodes.length,
    );
    if (ready) return;
    last = states.map((info, i) => `:${nodes[i]?.port} ${/^cluster_state:(\w+)/m.exec(info)?.[1] ?? info}`).join(', ');
    if (performance.now() > deadline) throw new Error(`the throwaway cluster did not reach cluster_state:ok: ${last}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function clusterInfo(port: number): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'cluster', 'info'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once('exit', () => resolve(out));
    child.once('error', () => resolve(''));
  });
}
