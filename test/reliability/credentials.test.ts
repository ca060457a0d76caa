/**
 * A run against a server that wants a user and password, and one that speaks
 * TLS with a certificate from the test's own CA: the run works, the password
 * appears in no output or file, and the CA is trusted via NODE_EXTRA_CA_CERTS.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, filesUnder, runCli, STACK_LINE, savedSnapshot, tempDir } from '../helpers/cli.ts';
import { type TestRedis, useRedisServer } from '../helpers/redis.ts';

const PASSWORD = 's3cret-pw';
const SHORT_RUN = ['ttl-sweep', '--ttl', '250ms', '--duration', '500ms', '--warmup', '100ms', '--keys', '1000'];

/** Everything the run printed or saved, as one string. */
function everything(result: CliResult, out: string): string {
  return [result.stdout, result.stderr, ...filesUnder(out).map((f) => readFileSync(join(out, f), 'utf8'))].join('\n');
}

describe('a server with an ACL user', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await useRedisServer({
      args: ['--user', 'bench', 'on', `>${PASSWORD}`, '~*', '&*', '+@all', '--user', 'default', 'off'],
    });
  });

  type Given = (port: number) => { args: string[]; env?: Record<string, string> };
  it.each<[string, Given]>([
    ['--redis-url', (port) => ({ args: ['--redis-url', `redis://bench:${PASSWORD}@127.0.0.1:${port}`] })],
    [
      'REDIS_* variables',
      (port) => ({
        args: [],
        env: { REDIS_HOST: '127.0.0.1', REDIS_PORT: String(port), REDIS_USERNAME: 'bench', REDIS_PASSWORD: PASSWORD },
      }),
    ],
  ])('runs with credentials from %s and never shows the password', async (_how, given) => {
    const out = tempDir();
    const { args, env } = given(redis.server.port);
    const result = await runCli([...SHORT_RUN, ...args, '--out', out], { env });
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(0);
    expect(filesUnder(out).length).toBeGreaterThan(0);
    expect(everything(result, out)).not.toContain(PASSWORD);
    const snapshot = savedSnapshot(out) as unknown as { config: { redis: string } };
    expect(snapshot.config.redis).toMatch(new RegExp(`^redis://bench:\\*\\*\\*@127\\.0\\.0\\.1:${redis.server.port}`));
  });

  it('refuses without the password, exit 1, one line', async () => {
    const result = await runCli([...SHORT_RUN, '--redis-url', `redis://bench:wrong@127.0.0.1:${redis.server.port}`]);
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/refused the credentials/)]);
  });
});

/** A CA and a server certificate for 127.0.0.1 and localhost, made with openssl in `dir`. */
function makeCertificates(dir: string): { certFile: string; keyFile: string; caFile: string } {
  writeFileSync(join(dir, 'san.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1'];
  const steps = [
    ['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=cab test CA'],
    ['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1'],
    ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1'],
  ];
  (steps[2] as string[]).push('-extfile', 'san.cnf', '-out', 'server.crt');
  for (const step of steps) {
    const run = spawnSync('openssl', step, { cwd: dir, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`openssl ${step.join(' ')} failed: ${run.stderr}`);
  }
  return { certFile: join(dir, 'server.crt'), keyFile: join(dir, 'server.key'), caFile: join(dir, 'ca.crt') };
}

describe('a TLS server with its own CA', () => {
  let redis: TestRedis;
  let caFile: string;
  beforeAll(async () => {
    const tls = makeCertificates(tempDir('cab-tls-'));
    caFile = tls.caFile;
    redis = await useRedisServer({ tls });
  });

  it('runs over rediss:// when NODE_EXTRA_CA_CERTS names the CA', async () => {
    const out = tempDir();
    const url = `rediss://127.0.0.1:${redis.server.port}`;
    const result = await runCli([...SHORT_RUN, '--redis-url', url, '--out', out], {
      env: { NODE_EXTRA_CA_CERTS: caFile },
    });
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(0);
    const snapshot = savedSnapshot(out) as unknown as {
      env: { redis: { version: string } };
      config: { redis: string };
    };
    expect(snapshot.env.redis.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(snapshot.config.redis).toContain('rediss://127.0.0.1');
  });

  it('refuses a server whose CA it does not trust: exit 1, one line naming the certificate problem', async () => {
    const result = await runCli([...SHORT_RUN, '--redis-url', `rediss://127.0.0.1:${redis.server.port}`]);
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`127\\.0\\.0\\.1:${redis.server.port}.*certificate`)),
    ]);
  });
});
