/** The arguments of `npm run report -- SNAPSHOT.json [--out FILE]`; bad ones are a UsageError (exit 2). */
import { UsageError } from '../errors.ts';

export interface ReportArgs {
  help: boolean;
  snapshot?: string;
  out?: string;
}

export function parseReportArgs(argv: readonly string[]): ReportArgs {
  const args: ReportArgs = { help: false };
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '-h' || arg === '--help') args.help = true;
    else if (arg.startsWith('--out=')) args.out = arg.slice('--out='.length);
    else if (arg === '--out') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('-')) {
        throw new UsageError('--out needs a value; expected an HTML file path, e.g. --out /tmp/report.html');
      }
      args.out = value;
    } else if (arg.startsWith('-')) {
      throw new UsageError(`unknown option "${arg}"; expected SNAPSHOT.json [--out FILE] (see --help)`);
    } else files.push(arg);
  }
  if (args.out === '') throw new UsageError('--out is empty; expected an HTML file path, e.g. --out /tmp/report.html');
  if (!args.help && files.length !== 1) {
    throw new UsageError(`expected one snapshot file; got ${files.length} (see --help)`);
  }
  args.snapshot = files[0];
  return args;
}
