/**
 * A throwaway `redis-server` on a free port that keeps nothing on disk. The
 * bench starts one when no Redis is configured; the tests start their own so
 * they never touch the machine's Redis or its data.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisServerMissingError } from '../errors.ts';

export interface RedisServerOptions {
  /** Extra `redis-server` arguments, e.g. `['--requirepass', 'x']` or TLS settings. */
  args?: string[];
  /** Port to listen on; a free one when omitted. */
  port?: number;
  /** When set, the server speaks TLS on this port and the plain port is disabled. */
  tls?: { certFile: string; keyFile: string; caFile: string };
}

export interface RedisServerHandle {
  readonly port: number;
  readonly url: string;
  readonly pid: number | undefined;
  /** Send a signal to the server process (SIGKILL, SIGSTOP, SIGCONT …): the tests' chaos helper. */
  signal(signal: NodeJS.Signals): void;
  /** Start it again on the same port after a kill. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Servers still running, with their temp dirs: killed and removed if this
 * process exits without stopping them (a second Ctrl-C).
 */
const running = new Map<ChildProcess, string>();
process.on('exit', () => {
  for (const [child, dir] of running) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

export function redisServerInstalled(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServerHandle> {
  if (!redisServerInstalled()) {
    throw new RedisServerMissingError(
      'no Redis configured and redis-server is not installed: install it (apt-get install redis-server) or set REDIS_URL / --redis-url',
    );
  }
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'cab-redis-'));
  const args = serverArgs(options, port, dir);
  let child: ChildProcess | undefined;
  const launch = async () => {
    const launched = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = launched;
    running.set(launched, dir);
    launched.once('exit', () => running.delete(launched));
    await waitForReady(child, port);
  };
  await launch();
  const scheme = options.tls ? 'rediss' : 'redis';
  return {
    port,
    url: `${scheme}://127.0.0.1:${port}`,
    get pid() {
      return child?.pid;
    },
    signal(signal) {
      child?.kill(signal);
    },
    async restart() {
      await stopChild(child);
      await launch();
    },
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Keeps nothing on disk, listens on loopback only; TLS replaces the plain port when asked. */
function serverArgs(options: RedisServerOptions, port: number, dir: string): string[] {
  const portArgs = options.tls
    ? [
        '--port',
        '0',
        '--tls-port',
        String(port),
        '--tls-cert-file',
        options.tls.certFile,
        '--tls-key-file',
        options.tls.keyFile,
        '--tls-ca-cert-file',
        options.tls.caFile,
        '--tls-auth-clients',
        'no',
      ]
    : ['--port', String(port)];
  return [
    ...portArgs,
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
    '--daemonize',
    'no',
    ...(options.args ?? []),
  ];
}

/** Resolves once the server logs that it accepts connections and its port answers. */
async function waitForReady(child: ChildProcess, port: number): Promise<void> {
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`redis-server did not start on port ${port} within 10 s: ${log.trim()}`)),
      10_000,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) =>
      fail(new Error(`redis-server exited with code ${code} on port ${port}: ${log.trim()}`)),
    );
  });
  // Keep draining the pipes so a chatty server never blocks on a full buffer.
  child.stdout?.resume();
  child.stderr?.resume();
  await new Promise<void>((resolve, reject) => {
    const socket = netConnect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve();
    });
    socket.on('error', reject);
  });
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A stopped (SIGSTOP) server ignores SIGTERM until continued.
  child.kill('SIGCONT');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}
