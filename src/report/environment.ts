/** Where a snapshot was measured: Node, Redis, source, CPU, and the commit of the harness. */
import { execFileSync } from 'node:child_process';
import { cpus, platform, release } from 'node:os';
import type { SnapshotEnv } from '../types.ts';

export function describeEnvironment(redis: { version: string; mode: string }, sourceVersion: string): SnapshotEnv {
  const cpuList = cpus();
  return {
    node: process.version,
    redis,
    source: { kind: 'sqlite', version: sourceVersion },
    cpu: cpuList[0]?.model.trim() ?? 'unknown',
    cores: cpuList.length,
    os: `${platform()} ${release()}`,
    gitCommit: gitCommit(),
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
