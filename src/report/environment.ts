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
