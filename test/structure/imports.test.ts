/**
 * The shape of src/, checked: folders follow the data (a file imports only
 * from folders at or before its own in the order below), no import cycles,
 * files under 300 lines and functions under 60. These are the project's
 * style rules; a test keeps them from drifting.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
/** redis, source and metrics share a rank: they may import each other. */
const ORDER = ['config', 'workload', 'load', 'redis|source|metrics', 'cache', 'suites', 'answer', 'report', 'run'];
const rank = (folder: string) => ORDER.findIndex((entry) => entry.split('|').includes(folder));

function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const files = sourceFiles();
const text = new Map(files.map((file) => [file, readFileSync(file, 'utf8')]));

/** Relative imports of a file (type-only ones too: they still tie the layers together). */
function importsOf(file: string): string[] {
  const found: string[] = [];
  for (const match of (text.get(file) ?? '').matchAll(/(?:import|export)[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/g)) {
    found.push(normalize(join(dirname(file), match[1] as string)));
  }
  return found.filter((target) => text.has(target));
}

const folderOf = (file: string) => relative(SRC, file).split('/')[0] as string;

describe('the shape of src/', () => {
  it('imports only from folders at or before its own in the data flow', () => {
    const upward: string[] = [];
    for (const file of files) {
      const from = rank(folderOf(file));
      if (from < 0) continue; // top-level modules (errors.ts) are shared by all
      for (const target of importsOf(file)) {
        const to = rank(folderOf(target));
        if (to > from) upward.push(`${relative(SRC, file)} imports ${relative(SRC, target)}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('has no import cycles', () => {
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, stack: string[]) => {
      state.set(file, 'open');
      for (const next of importsOf(file)) {
        if (state.get(next) === 'open')
          cycles.push([...stack.slice(stack.indexOf(next)), next].map((f) => relative(SRC, f)).join(' -> '));
        else if (!state.has(next)) visit(next, [...stack, next]);
      }
      state.set(file, 'done');
    };
    for (const file of files) if (!state.has(file)) visit(file, [file]);
    expect(cycles).toEqual([]);
  });

  it('keeps files under 300 lines and functions under 60', () => {
    const tooLong: string[] = [];
    for (const file of files) {
      const source = text.get(file) ?? '';
      const lines = source.split('\n').length - 1;
      if (lines > 300) tooLong.push(`${relative(SRC, file)}: ${lines} lines`);
      const tree = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true);
      const walk = (node: ts.Node) => {
        if (ts.isFunctionLike(node) && 'body' in node && node.body) {
          const start = tree.getLineAndCharacterOfPosition(node.body.getStart()).line;
          const end = tree.getLineAndCharacterOfPosition(node.body.getEnd()).line;
          if (end - start + 1 > 60)
            tooLong.push(`${relative(SRC, file)}:${start + 1}: a function of ${end - start + 1} lines`);
        }
        ts.forEachChild(node, walk);
      };
      walk(tree);
    }
    expect(tooLong).toEqual([]);
  });
});
