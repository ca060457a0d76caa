/**
 * `npm run merge -- a.json b.json ... --out merged.json`: combines snapshots
 * of one configuration, taken at the same time on several load machines
 * against one Redis (Cluster), into one snapshot and prints its tables
 * (src/report/merge.ts says how each figure combines). Exit 0 merged, 2 for
 * bad arguments, unreadable snapshots, or configurations that differ (the
 * message names the first difference).
 */
import { exitCodeOf, formatError, UsageError } from '../src/errors.ts';
import { mergeSnapshots } from '../src/report/merge.ts';
import { renderTerminal } from '../src/report/render.ts';
import { assertFinite, readSnapshot, writeFileAtomic } from '../src/report/snapshotFile.ts';
import { snapshotTables } from '../src/report/tables.ts';

const USAGE = `usage: npm run merge -- A.json B.json [MORE.json ...] --out MERGED.json

Combines snapshots of one configuration taken at the same time on several
load machines against one Redis or Redis Cluster: ttl-sweep histograms are
added, counts and rates summed, hit ratios recomputed from the summed counts.
Each machine keeps its own keys, so the prediction is the machines' own,
weighted. The configurations must match except --seed and the Redis URL;
otherwise merge exits 2 naming the difference. Suites other than ttl-sweep
are left out (named on stderr).

Exit codes: 0 merged, 2 invalid arguments, snapshots or configurations.`;

function parseArgs(argv: readonly string[]): { help: boolean; files: string[]; out?: string } {
  const files: string[] = [];
  let out: string | undefined;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '-h' || arg === '--help') help = true;
    else if (arg === '--out') {
      out = argv[++i];
      if (out === undefined) throw new UsageError('--out needs a file path, e.g. --out merged.json');
    } else if (arg.startsWith('--out=')) out = arg.slice('--out='.length);
    else if (arg.startsWith('-'))
      throw new UsageError(`unknown option "${arg}"; expected A.json B.json ... --out MERGED.json`);
    else files.push(arg);
  }
  if (help) return { help, files };
  if (files.length < 2) throw new UsageError(`expected at least two snapshot files; got ${files.length} (see --help)`);
  if (out === undefined || out === '')
    throw new UsageError('--out MERGED.json is required: where the merged snapshot goes');
  return { help, files, out };
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const inputs = [];
  for (const file of args.files) inputs.push({ file, snapshot: await readSnapshot(file) });
  const { snapshot, skipped } = mergeSnapshots(inputs);
  if (skipped.length > 0) process.stderr.write(`note: not merged (per-process experiments): ${skipped.join(', ')}\n`);
  assertFinite(snapshot);
  await writeFileAtomic(args.out as string, `${JSON.stringify(snapshot, null, 2)}\n`);
  process.stdout.write(
    `${renderTerminal(snapshotTables(snapshot), false)}\n\nmerged ${args.files.length} snapshots into ${args.out}\n`,
  );
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${formatError(error)}\n`);
  process.exitCode = exitCodeOf(error);
}
