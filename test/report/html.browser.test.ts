/**
 * `latest.html` in a real browser: Debian's Chromium (`apt-get install
 * chromium`; .ci/run installs it), driven by playwright-core, which never
 * downloads a browser of its own.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareCharts, snapshotCharts } from '../../src/report/charts.ts';
import { compareSnapshots } from '../../src/report/compare.ts';
import { renderCompareHtml, renderHtml } from '../../src/report/html.ts';
import { readSnapshot } from '../../src/report/snapshotFile.ts';
import type { Snapshot } from '../../src/report/snapshotFormat.ts';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];
const MAX_BYTES = 300 * 1024;

let dir: string;
let snapshot: Snapshot;
let html: string;
let file: string;
let context: BrowserContext;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  const results = fileURLToPath(new URL('../../results/default/', import.meta.url));
  const newest = (await readdir(results))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .pop() as string;
  snapshot = await readSnapshot(join(results, newest));
  html = renderHtml(snapshot);
  dir = await mkdtemp(join(tmpdir(), 'cab-html-'));
  file = join(dir, 'latest.html');
  await writeFile(file, html);
  // A fresh profile each run: the persistent context's directory is the --user-data-dir.
  context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    args: FLAGS,
    headless: true,
    viewport: { width: 1100, height: 900 },
  });
}, 60_000);

afterAll(async () => {
  await context?.close();
  // Kept when asked, to look at the screenshot.
  if (dir && !process.env.KEEP_SCREENSHOT) await rm(dir, { recursive: true, force: true });
});

describe('latest.html', () => {
  it('is one self-contained file under 300 KB: no scripts, no external URLs', () => {
    expect(Buffer.byteLength(html)).toBeLessThan(MAX_BYTES);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    // The only URL is the SVG namespace, which names a vocabulary and is never fetched.
    expect(html.match(/https?:\/\/[^"'\s<]+/g)?.every((u) => u === 'http://www.w3.org/2000/svg')).toBe(true);
    // Re-rendering an unchanged snapshot changes no byte, so the committed file diffs cleanly.
    expect(renderHtml(JSON.parse(JSON.stringify(snapshot)) as Snapshot)).toBe(html);
  });

  it('opens in Chromium without console errors or network requests, shows every chart, and is screenshotted', async () => {
    const page = await context.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    const url = pathToFileURL(file).href;
    await page.goto(url, { waitUntil: 'load' });

    const charts = snapshotCharts(snapshot);
    for (const chart of charts) {
      const svg = page.locator(`#chart-${chart.name} svg`);
      await expect(svg.isVisible()).resolves.toBe(true);
      const box = await svg.boundingBox();
      expect(box?.width, chart.name).toBeGreaterThan(500);
      expect(box?.height, chart.name).toBeGreaterThan(300);
      // Its marks are laid out, not just present: the first point or bar has a size on screen.
      const mark = svg.locator('.cab-point, .cab-bar').first();
      expect((await mark.boundingBox())?.width, chart.name).toBeGreaterThan(0);
    }
    await expect(page.locator('table').count()).resolves.toBe(Object.keys(snapshot.suites).length);

    const shot = join(dir, 'latest.png');
    await page.screenshot({ path: shot, fullPage: true });
    // A blank page compresses to a few KB; five charts and four tables do not.
    expect((await stat(shot)).size).toBeGreaterThan(100_000);
    if (process.env.KEEP_SCREENSHOT) process.stdout.write(`screenshot: ${shot}\n`);

    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
    await page.close();
  }, 60_000);

  it('compare: both runs on every chart, the comparison table, and still no errors or requests', async () => {
    const comparison = compareSnapshots(snapshot, snapshot, { threshold: 5 });
    const compareFile = join(dir, 'compare.html');
    await writeFile(compareFile, renderCompareHtml(snapshot, snapshot, comparison));
    const page = await context.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => problems.push(`${m.type()}: ${m.text()}`));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(compareFile).href);
    for (const chart of compareCharts(snapshot, snapshot)) {
      await expect(page.locator(`#chart-${chart.name} svg`).isVisible()).resolves.toBe(true);
      await expect(page.locator(`#chart-${chart.name} [data-series$="(OLD)"]`).count()).resolves.toBeGreaterThan(0);
    }
    await expect(page.locator('tbody tr').count()).resolves.toBe(comparison.rows.length);
    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(compareFile).href]);
    await page.close();
  }, 60_000);

  it('follows a dark colour scheme: page and chart text switch together', async () => {
    const page = await context.newPage();
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(pathToFileURL(file).href);
    // Strings, because this file is type-checked without the DOM library.
    const body = 'getComputedStyle(document.body).backgroundColor';
    const text = "getComputedStyle(document.querySelector('.cab-text')).fill";
    const colours = { body: await page.evaluate<string>(body), text: await page.evaluate<string>(text) };
    expect(colours).toEqual({ body: 'rgb(13, 17, 23)', text: 'rgb(141, 150, 160)' });
    await page.emulateMedia({ colorScheme: 'light' });
    const light = await page.evaluate<string>(text);
    expect(light).toBe('rgb(110, 119, 129)');
    await page.close();
  }, 60_000);
});
