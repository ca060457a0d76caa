/**
 * `npm run compare -- OLD.json NEW.json [--threshold PCT]`: prints both
 * snapshots side by side and exits 1 when NEW regressed past the threshold,
 * so CI can gate on it. Exit 2 for bad arguments or unreadable snapshots.
 */
import { exitCodeOf, formatError, UsageError } from '../src/errors.ts';
import { compareSnapshots, renderComparison } from '../src/report/compare.ts';
import { readSnapshot } from '../src/report/snapshotFile.ts';

const USAGE = `usage: npm run compare -- OLD.json NEW.json [--threshold PCT] [--allow-config-diff]

Compares two snapshots of the same scenario row by row and exits 1 when NEW
regressed by more than the threshold (default 5):
  hitRatio, staleReadRatio               by more than PCT percentage points
  p99Ms, sourceReadsPerSec, loadsPerExpiry, read-path opsPerSec
                                         by more than PCT percent
Rows present in only one snapshot are shown but never count as regressions.
Settings that differ are listed first; when one changes the workload (keys,
TTLs, rates, source latency ...) compare exits 2 instead of judging figures
of two different experiments, unless --allow-config-diff is given.

Options:
  --threshold PCT       0 to 1000; 5, 5% and --threshold=5% all work
  --allow-config-diff   judge the figures even when a workload setting differs
  -h, --help        this text

Exit codes: 0 no regression, 1 regressed, 2 invalid arguments or snapshots.

To compare against a committed snapshot, take it from git history:
  git show HEAD~1:results/default/2026-11-25T19-06-41Z.json > /tmp/old.json
  npm run compare -- /tmp/old.json results/default/2026-11-26T08-00-00Z.json`;

function parseThreshold(text: string): number {
  const match = /^(\d+(?:\.\d+)?)%?$/.exec(text.trim());
  const value = match ? Number(match[1]) : Number.NaN;
  if (!(value >= 0 && value <= 1000)) {
    throw new UsageError(`--threshold "${text}" is not valid; expected a percentage from 0 to 1000, e.g. 5 or 5%`);
  }
  return value;
}

interface CompareArgs {
  help: boolean;
  files: string[];
  thresholdPct: number;
  allowConfigDiff: boolean;
}

function parseArgs(argv: readonly string[]): CompareArgs {
  const args: CompareArgs = { help: false, files: [], thresholdPct: 5, allowConfigDiff: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      args.files.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') args.help = true;
    else if (arg === '--allow-config-diff') args.allowConfigDiff = true;
    else if (arg.startsWith('--threshold=')) args.thresholdPct = parseThreshold(arg.slice('--threshold='.length));
    else if (arg === '--threshold') {
      const value = argv[++i];
      if (value === undefined) throw new UsageError('--threshold needs a value; expected a percentage, e.g. 5');
      args.thresholdPct = parseThreshold(value);
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new UsageError(
        `unknown option "${arg}"; expected OLD.json NEW.json [--threshold PCT] [--allow-config-diff] (see --help)`,
      );
    } else args.files.push(arg);
  }
  if (!args.help && args.files.length !== 2) {
    throw new UsageError(`expected two snapshot files, OLD.json and NEW.json; got ${args.files.length} (see --help)`);
  }
  if (args.files.includes('-')) {
    throw new UsageError('"-" (stdin) is not supported; expected a file path, e.g. git show REV:FILE > /tmp/old.json');
  }
  return args;
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [oldPath, newPath] = args.files as [string, string];
  const comparison = compareSnapshots(await readSnapshot(oldPath), await readSnapshot(newPath), args);
  process.stdout.write(`${renderComparison(comparison)}\n`);
  return comparison.regressions > 0 ? 1 : 0;
}

// exitCode rather than process.exit(), so a piped table is flushed in full.
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${formatError(error)}\n`);
  process.exitCode = exitCodeOf(error);
}
