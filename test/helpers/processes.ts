/** The redis-server processes a test started, seen from /proc and pgrep. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** redis-server processes that are children of `pid` (this process by default); none when pid is undefined. */
export function childServers(pid: number | undefined = process.pid): number[] {
  if (pid === undefined) return [];
  const out = spawnSync('pgrep', ['-P', String(pid), 'redis-server'], { encoding: 'utf8' }).stdout;
  return out.split('\n').filter(Boolean).map(Number);
}

/** Running, not a zombie waiting for init (which may reap late in a container). */
export function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
