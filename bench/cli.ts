/**
 * `npm run bench -- [SUITE ...] [OPTIONS]`. Exit 0 when the run finished
 * (also degraded), 1 when it could not start or was interrupted, 2 for
 * invalid input. Errors are one line on stderr; DEBUG=1 shows the stack.
 *
 * Ctrl-C (or SIGTERM) stops the run within about a second: in-flight reads
 * finish or time out, the run's keys are removed, a throwaway server is
 * stopped, nothing is saved. A second Ctrl-C exits at once.
 */
import { parseBenchArgs } from '../src/config/args.ts';
import { redactUrl } from '../src/config/redisTarget.ts';
import { applyRerun } from '../src/config/rerun.ts';
import { exitCodeOf, formatError } from '../src/errors.ts';
import { SUITES } from '../src/suites/registry.ts';

async function main(): Promise<number> {
  const parsed = parseBenchArgs(process.argv.slice(2), process.env, SUITES);
  if (parsed.kind === 'help') {
    process.stdout.write(`${parsed.text}\n`);
    return 0;
  }
  let request = parsed.request;
  const rerun = request.given.rerun;
  if (rerun !== undefined) {
    const { readSnapshot } = await import('../src/report/snapshotFile.ts');
    request = applyRerun(request, await readSnapshot(rerun), rerun);
  }
  // Loaded only now, so that bad input is refused without loading node-redis and SQLite.
  const { runBench } = await import('../src/run/runBench.ts');
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      process.stderr.write(`\n${signal} again: exiting now\n`);
      process.exit(130);
    }
    process.stderr.write(`\n${signal}: stopping the run and cleaning up (again to exit at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  await runBench(request, {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    color: process.stdout.isTTY === true && !process.env.NO_COLOR,
    signal: controller.signal,
    env: process.env,
  });
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${redactUrl(formatError(error))}\n`);
    // Everything was cleaned up before the error got here; exit now rather than
    // wait for the runtime's own teardown (a few hundred ms on a busy machine).
    // stderr to a pipe or a file is written synchronously on Linux.
    process.exit(exitCodeOf(error));
  },
);
