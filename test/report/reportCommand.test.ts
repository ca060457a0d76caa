/** `npm run report -- SNAPSHOT.json [--out FILE]` as a child process. */
import { spawn } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.ts';
import { snapshotCharts } from '../../src/report/charts.ts';
import { parseReportArgs } from '../../src/report/reportArgs.ts';
import { readSnapshot } from '../../src/report/snapshotFile.ts';
import { cliEnv, errorLines, filesUnder, ROOT, STACK_LINE, tempDir } from '../helpers/cli.ts';

function report(
  args: string[],
  script = 'bench/report.ts',
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: ROOT,
      env: cliEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function committedSnapshotPath(): Promise<string> {
  const dir = join(ROOT, 'results', 'default');
  return join(
    dir,
    (await readdir(dir))
      .filter((f) => f.endsWith('.json'))
      .sort()
      .pop() as string,
  );
}

describe('npm run report', () => {
  it('writes latest.html and the SVGs that latest.md links beside it', async () => {
    const dir = tempDir('cab-report-');
    const source = await committedSnapshotPath();
    const result = await report([source, '--out', join(dir, 'latest.html')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const charts = snapshotCharts(await readSnapshot(source));
    expect(filesUnder(dir)).toEqual(['latest.html', ...charts.map((c) => c.file)].sort());
    expect(await readFile(join(dir, 'hit-ratio.svg'), 'utf8')).toBe(charts[0]?.svg);
    const html = await readFile(join(dir, 'latest.html'), 'utf8');
    expect(html).toContain(charts[2]?.svg);
    expect(result.stdout).toMatch(/^wrote .*latest\.html \(\d+\.\d KB\) and 5 charts beside it/);
  }, 60_000);

  it("by default writes beside the snapshot under the snapshot's name, never over latest's charts", async () => {
    const dir = tempDir('cab-report-');
    await mkdir(join(dir, 'default'));
    const snapshot = join(dir, 'default', '2026-01-01T00-00-00Z.json');
    await copyFile(await committedSnapshotPath(), snapshot);
    expect((await report([snapshot])).code).toBe(0);
    const names = filesUnder(join(dir, 'default'));
    expect(names).toContain('2026-01-01T00-00-00Z.html');
    expect(names).toContain('2026-01-01T00-00-00Z.hit-ratio.svg');
    expect(names).not.toContain('hit-ratio.svg');
  }, 60_000);

  it.each([
    [['/nonexistent/x.json', '--out', 'OUT/r.html'], /cannot read snapshot \/nonexistent\/x\.json: file not found/],
    [['package.json', '--out', 'OUT/r.html'], /package\.json is not a cache-aside-bench snapshot/],
    [['SNAP', '--out', 'OUT'], /--out .* is a directory; expected an HTML file path/],
  ])(
    'refuses %j with one line, exit 2, nothing written',
    async (args, message) => {
      const dir = tempDir('cab-report-');
      const source = await committedSnapshotPath();
      const argv = args.map((a) => a.replace('OUT', dir).replace('SNAP', source));
      const result = await report(argv);
      expect(result.code).toBe(2);
      expect(errorLines(result.stderr)).toHaveLength(1);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(STACK_LINE);
      expect(filesUnder(dir)).toEqual([]);
    },
    60_000,
  );
});

describe('parseReportArgs', () => {
  it('takes one snapshot and an optional --out, in either form', () => {
    expect(parseReportArgs(['s.json'])).toEqual({ help: false, snapshot: 's.json' });
    expect(parseReportArgs(['--out', 'r.html', 's.json'])).toMatchObject({ snapshot: 's.json', out: 'r.html' });
    expect(parseReportArgs(['s.json', '--out=r.html'])).toMatchObject({ snapshot: 's.json', out: 'r.html' });
    expect(parseReportArgs(['-h']).help).toBe(true);
  });

  it.each([
    [[], /expected one snapshot file; got 0/],
    [['a.json', 'b.json'], /expected one snapshot file; got 2/],
    [['x.json', '--bogus'], /unknown option "--bogus"/],
    [['x.json', '--out'], /--out needs a value/],
    [['x.json', '--out='], /--out is empty/],
  ])('refuses %j naming what was expected', (args, message) => {
    expect(() => parseReportArgs(args)).toThrow(UsageError);
    expect(() => parseReportArgs(args)).toThrow(message);
  });
});

describe('npm run compare -- OLD NEW --html FILE', () => {
  it('writes one HTML page with the verdicts and both runs on each chart', async () => {
    const dir = tempDir('cab-compare-html-');
    const source = await committedSnapshotPath();
    const out = join(dir, 'compare.html');
    const result = await report([source, source, '--html', out], 'bench/compare.ts');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const html = await readFile(out, 'utf8');
    expect(html).toContain('OLD dashed, NEW solid');
    expect(html.match(/<svg/g)).toHaveLength(snapshotCharts(await readSnapshot(source)).length);
    expect(filesUnder(dir)).toEqual(['compare.html']);
  }, 60_000);

  it('refuses --html without a file, exit 2, nothing written', async () => {
    const dir = tempDir('cab-compare-html-');
    const source = await committedSnapshotPath();
    const result = await report([source, source, '--html'], 'bench/compare.ts');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: --html needs a value/);
    expect(filesUnder(dir)).toEqual([]);
  }, 60_000);
});
