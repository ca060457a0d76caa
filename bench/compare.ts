/**
 * `npm run compare -- OLD.json NEW.json [--threshold PCT] [--md] ...`: judges
 * every figure of NEW against OLD with statistics (src/report/judge.ts) and
 * exits 1 only when a figure regressed: significantly and beyond the
 * threshold. So CI can gate on it without crying wolf. Exit 2 for bad
 * arguments or unreadable snapshots.
 */
import { exitCodeOf, formatError, UsageError } from '../src/errors.ts';
import { compareSnapshots } from '../src/report/compare.ts';
import { renderComparison, renderComparisonMarkdown } from '../src/report/compareRender.ts';
import { renderCompareHtml } from '../src/report/html.ts';
import { readSnapshot, writeFileAtomic } from '../src/report/snapshotFile.ts';

const USAGE = `usage: npm run compare -- OLD.json NEW.json [--threshold PCT] [--md] [--html FILE] [--judge-single] [--judge-harness-bound] [--allow-config-diff]

Compares two snapshots of the same scenario figure by figure, rows aligned by
TTL / strategy / path, and prints one line per figure: OLD, NEW, the change
with its 95% interval, the p-value and a verdict, regressions first:
  ~          no significant difference, or one smaller than the threshold
  improved   significant (p < 0.05) and better by more than the threshold
  regressed  significant (p < 0.05) and worse by more than the threshold
Ratios (hit ratio, stale reads) change in percentage points, the rest
(p99, source reads/s, loads per expiry, ops/s, load time) in percent.

How a figure is tested:
  both snapshots ran with --repeat N (N >= 2)
      Mann-Whitney U over the passes and the Hodges-Lehmann interval of the
      shift; also significant when both sides' 95% intervals do not overlap.
      4 passes a side are the fewest that can reach p < 0.05; use 5.
  a single run, figures built from counts (hit and stale ratios, loads per
      expiry, source reads/s)
      exact tests on the counts (Fisher, Poisson), exact intervals.
  a single run, latency percentiles and ops/s
      "single run: not judged": one run has no spread to judge them by.
      --judge-single judges them by the threshold alone (the old rule).
  a p99 of a row that was harness-bound in either snapshot (the run's own
      table says so: sends over 5 ms late, or the harness on a whole core)
      "harness-bound: not judged": it measures how busy the machine was.
      --judge-harness-bound judges it all the same.
Rows present in only one snapshot are shown but never judged. Settings that
differ are listed first; when one changes the workload (keys, TTLs, rates,
source latency ...) compare exits 2 instead of judging figures of two
different experiments, unless --allow-config-diff is given.

Options:
  --threshold PCT       smallest change that counts, 0 to 1000 (default 5); 5, 5%
                        and --threshold=5% all work. npm run bench -- --calibrate
                        prints this machine's run-to-run spread to choose it from
  --md                  print Markdown (for a CI job summary) instead of the table
  --html FILE           also write an HTML report: the verdicts, and both runs on each chart
  --judge-single        judge single-run latencies and ops/s by the threshold alone
  --judge-harness-bound judge the p99 of harness-bound rows too
  --allow-config-diff   judge the figures even when a workload setting differs
  -h, --help            this text

Exit codes: 0 nothing regressed, 1 a figure regressed, 2 invalid arguments or snapshots.

In CI, compare runs with repeats against a committed baseline that had them too:
  npm run bench -- --repeat 5 --json /tmp/new.json --no-save --quiet
  npm run compare -- results/default/BASELINE.json /tmp/new.json --md >> "$GITHUB_STEP_SUMMARY"`;

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
  threshold: number;
  allowConfigDiff: boolean;
  judgeSingle: boolean;
  judgeHarnessBound: boolean;
  md: boolean;
  html: string | undefined;
}

function parseArgs(argv: readonly string[]): CompareArgs {
  const args: CompareArgs = {
    help: false,
    files: [],
    threshold: 5,
    allowConfigDiff: false,
    judgeSingle: false,
    judgeHarnessBound: false,
    md: false,
    html: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      args.files.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') args.help = true;
    else if (arg === '--allow-config-diff') args.allowConfigDiff = true;
    else if (arg === '--judge-single') args.judgeSingle = true;
    else if (arg === '--judge-harness-bound') args.judgeHarnessBound = true;
    else if (arg === '--md') args.md = true;
    else if (arg === '--html') {
      const value = argv[++i];
      if (value === undefined || value === '' || value.startsWith('-'))
        throw new UsageError('--html needs a value; expected an HTML file path, e.g. --html /tmp/compare.html');
      args.html = value;
    } else if (arg.startsWith('--threshold=')) args.threshold = parseThreshold(arg.slice('--threshold='.length));
    else if (arg === '--threshold') {
      const value = argv[++i];
      if (value === undefined) throw new UsageError('--threshold needs a value; expected a percentage, e.g. 5');
      args.threshold = parseThreshold(value);
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new UsageError(
        `unknown option "${arg}"; expected OLD.json NEW.json [--threshold PCT] [--md] [--html FILE] [--judge-single] [--judge-harness-bound] [--allow-config-diff] (see --help)`,
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
  const [oldSnapshot, newSnapshot] = [await readSnapshot(oldPath), await readSnapshot(newPath)];
  const comparison = compareSnapshots(oldSnapshot, newSnapshot, args);
  if (args.html !== undefined)
    await writeFileAtomic(args.html, renderCompareHtml(oldSnapshot, newSnapshot, comparison));
  process.stdout.write(`${args.md ? renderComparisonMarkdown(comparison) : renderComparison(comparison)}\n`);
  return comparison.regressions > 0 ? 1 : 0;
}

// exitCode rather than process.exit(), so a piped table is flushed in full.
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${formatError(error)}\n`);
  process.exitCode = exitCodeOf(error);
}
