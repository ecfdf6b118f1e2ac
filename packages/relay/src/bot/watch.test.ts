import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { KnowledgeBase } from './kb.js';
import { watchKnowledgeBase } from './watch.js';

const DEFAULT_KB = readFileSync(fileURLToPath(new URL('../../kb/default.json', import.meta.url)), 'utf8');
const dirs: string[] = [];
const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'parley-kb-'));
  dirs.push(dir);
  const file = join(dir, 'kb.json');
  writeFileSync(file, DEFAULT_KB);
  const loads: KnowledgeBase[] = [];
  const errors: Error[] = [];
  const watcher = watchKnowledgeBase(file, { onLoad: (kb) => loads.push(kb), onError: (e) => errors.push(e), debounceMs: 20 });
  closers.push(() => watcher.close());
  return { dir, file, loads, errors };
}

const until = async (check: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

const withTitle = (title: string) => {
  const kb = JSON.parse(DEFAULT_KB);
  kb.articles[0].title.en = title;
  return JSON.stringify(kb);
};

describe('watchKnowledgeBase', () => {
  it('loads the new version when the file is written in place', async () => {
    const { file, loads } = setup();
    writeFileSync(file, withTitle('Edited in place'));
    await until(() => loads.length > 0);
    expect(loads.at(-1)!.articles[0]!.title.en).toBe('Edited in place');
  });

  it('loads the new version when an editor renames a new file over it', async () => {
    const { dir, file, loads } = setup();
    const tmp = join(dir, '.kb.json.swp');
    writeFileSync(tmp, withTitle('Saved by rename'));
    renameSync(tmp, file);
    await until(() => loads.some((kb) => kb.articles[0]!.title.en === 'Saved by rename'));
    // And it keeps watching after the rename.
    writeFileSync(file, withTitle('Then edited again'));
    await until(() => loads.at(-1)!.articles[0]!.title.en === 'Then edited again');
  });

  it('reports an invalid version, naming the article and field, and loads nothing', async () => {
    const { file, loads, errors } = setup();
    writeFileSync(file, withTitle(''));
    await until(() => errors.length > 0);
    expect(errors[0]!.message).toMatch(/article "deposit-not-arrived" \(articles\[0\]\), field "title.en"/);
    expect(loads).toEqual([]);
  });

  it('ignores other files in the folder, and stops when closed', async () => {
    const { dir, file, loads } = setup();
    writeFileSync(join(dir, 'other.json'), '{}');
    await new Promise((r) => setTimeout(r, 150));
    expect(loads).toEqual([]);
    for (const close of closers.splice(0)) close();
    writeFileSync(file, withTitle('After close'));
    await new Promise((r) => setTimeout(r, 150));
    expect(loads).toEqual([]);
  });
});
