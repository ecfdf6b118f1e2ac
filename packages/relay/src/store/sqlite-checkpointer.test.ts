import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'libsql';
import { afterEach, describe, expect, it } from 'vitest';
import { startCheckpointer } from './sqlite-checkpointer.js';
import { SqliteStore } from './sqlite.js';

const dirs: string[] = [];
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-checkpoint-'));
  dirs.push(dir);
  return join(dir, 'parley.sqlite');
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  for (const end = Date.now() + ms; !check(); await sleep(20)) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
  }
}

/** Many messages in a few conversations: each commit writes a few pages to the WAL. */
async function fill(store: SqliteStore, messages: number): Promise<void> {
  for (let c = 0; c < 4; c++) {
    await store.createVisitor({ id: `v${c}`, tokenHash: `h${c}`, createdAt: 1 });
    await store.createConversation({ id: `c${c}`, visitorId: `v${c}`, at: 1 });
  }
  for (let i = 0; i < messages; i++) {
    const c = i % 4;
    const r = await store.appendEvent(`c${c}`, { kind: 'message', author: { role: 'visitor', id: `v${c}` }, text: `message ${i} `.repeat(20), clientId: `m${i}` }, { at: 2 });
    expect(r.ok).toBe(true);
  }
}

describe('SqliteStore checkpoints in a worker thread', () => {
  it('turns SQLite\'s own checkpoint off, and the worker copies the WAL into the database file', async () => {
    const path = tempFile();
    const store = new SqliteStore({ path, checkpoint: { everyMs: 20 } });
    expect(store.checkpointing).toBe('background');
    expect(store.pragma('wal_autocheckpoint')).toBe(0);
    expect(store.pragma('journal_size_limit')).toBe(256 * 1024 * 1024);
    const before = statSync(path).size;
    // Far past SQLite's automatic checkpoint (1,000 pages): with it off, only the worker
    // can have made the database file grow while the store stays open.
    await fill(store, 1500);
    await until(() => statSync(path).size > before * 10, 'the database file holds the appended pages');
    await store.close();
    const again = new SqliteStore({ path, checkpoint: 'inline' });
    expect((await again.eventsAfter('c0', 0, 1000)).length).toBe(375);
    await again.close();
  });

  it('keeps SQLite\'s own checkpoint with checkpoint: inline, and for :memory:', async () => {
    const inline = new SqliteStore({ path: tempFile(), checkpoint: 'inline' });
    expect(inline.checkpointing).toBe('inline');
    expect(inline.pragma('wal_autocheckpoint')).toBe(1000);
    await inline.close();
    const memory = new SqliteStore({ path: ':memory:' });
    expect(memory.checkpointing).toBe('inline');
    await memory.close();
  });

  it('closes with its worker, and what was appended is all there on the next open', async () => {
    const path = tempFile();
    const store = new SqliteStore({ path, checkpoint: { everyMs: 60_000 } });
    await fill(store, 200);
    await store.close();
    expect(store.checkpointing).toBe('inline');
    const again = new SqliteStore({ path, checkpoint: 'inline' });
    expect((await again.eventsAfter('c3', 0, 1000)).length).toBe(50);
    await again.close();
  });
});

describe('startCheckpointer', () => {
  it('starts the WAL over once it passes restartFrames, so it does not grow without end', async () => {
    const path = tempFile();
    const db = new Database(path);
    db.exec('PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; PRAGMA busy_timeout = 5000');
    db.exec('CREATE TABLE t (n INTEGER PRIMARY KEY, body TEXT)');
    const checkpointer = startCheckpointer({ path, synchronous: 'NORMAL', busyTimeoutMs: 5000, everyMs: 5, restartFrames: 50 });
    expect(await checkpointer.ready).toBe(true);
    // Commits back to back: a PASSIVE checkpoint then never catches up with the last one, and
    // without the RESTART the WAL would only grow.
    const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
    for (let i = 0; i < 200_000 && checkpointer.restarts === 0; i++) {
      insert.run('x'.repeat(2000));
      if (i % 100 === 99) await sleep(0);
    }
    expect(checkpointer.restarts).toBeGreaterThan(0);
    await checkpointer.close();
    db.close();
  });

  it('reports a worker that cannot start, so the store can fall back', async () => {
    const path = tempFile();
    new Database(path).close();
    // A driver that fails to load in the worker, as a native module built without worker support would.
    const driver = join(dirname(path), 'broken-driver.cjs');
    writeFileSync(driver, "throw new Error('this driver does not load');\n");
    const checkpointer = startCheckpointer({ path, synchronous: 'NORMAL', busyTimeoutMs: 100, driver });
    const failure = new Promise<Error>((resolve) => (checkpointer.onFailure = resolve));
    expect(await checkpointer.ready).toBe(false);
    expect((await failure).message).toBe('this driver does not load');
  });
});
