/** Where a snapshot was measured: Node, Redis, source, CPU, and the commit of the harness. */
import { execFileSync } from 'node:child_process';
import { cpus, platform, release } from 'node:os';
import type { SnapshotEnv } from './snapshotFormat.ts';

export function describeEnvironment(
  redis: { version: string; mode: string },
  source: SnapshotEnv['source'],
  timer: string,
): SnapshotEnv {
  const cpuList = cpus();
  return {
    node: process.version,
    redis,
    source,
    cpu: cpuList[0]?.model.trim() ?? 'unknown',
    cores: cpuList.length,
    os: `${platform()} ${release()}`,
    gitCommit: gitCommit(),
    timer,
  };
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return null;
  }
}

/**
 * The source as tables name it: "MariaDB 10.11.19", "PostgreSQL 15.20",
 * "SQLite 3.53.2", with the pool when the run recorded one.
 */
export function sourceLabel(source: SnapshotEnv['source'] | undefined): string {
  if (source === undefined) return 'unknown source';
  const version = source.version.split(/[\s-]/)[0] ?? source.version;
  const name =
    source.kind === 'sqlite'
      ? 'SQLite'
      : source.kind === 'postgres'
        ? 'PostgreSQL'
        : /mariadb/i.test(source.version)
          ? 'MariaDB'
          : 'MySQL';
  return source.pool === undefined ? `${name} ${version}` : `${name} ${version}, pool ${source.pool}`;
}
