import { preciseSleep, startTimer } from '../src/load/preciseTimer.ts';

if (process.argv[2] === 'thread') {
  await startTimer('thread');
  await preciseSleep(5);
}
const t = Date.now();
process.on('exit', () => process.stderr.write(`exit handler at +${Date.now() - t}\n`));
process.stderr.write(`exiting at ${Date.now()}\n`);
process.exit(1);
