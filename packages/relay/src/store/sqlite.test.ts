import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SQLITE_MIGRATIONS } from './migrations/sqlite.js';
import { SqliteStore } from './sqlite.js';
import { describeStore } from './store.suite.js';

// The version a test's extra migration gets: one after the shipped ones.
const NEXT = SQLITE_MIGRATIONS.length + 1;

describeStore('SqliteStore (:memory:)', () => new SqliteStore({ path: ':memory:' }));

const dirs: string[] = [];
const tempFile = (name = 'parley.sqlite') => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-sqlite-'));
  dirs.push(dir);
  return join(dir, name);
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

// The conformance suite again on a real file: WAL, locking and the file system are involved.
describeStore('SqliteStore (file)', () => new SqliteStore({ path: tempFile() }));

describe('SqliteStore on a file', () => {
  it('runs in WAL mode with foreign keys, NORMAL sync and a busy timeout', async () => {
    const store = new SqliteStore({ path: tempFile(), busyTimeoutMs: 1234 });
    expect(store.pragma('journal_mode')).toBe('wal');
    expect(store.pragma('foreign_keys')).toBe(1);
    expect(store.pragma('synchronous')).toBe(1); // 1 = NORMAL, 2 = FULL
    expect(store.pragma('busy_timeout')).toBe(1234);
    await store.close();
    const full = new SqliteStore({ path: tempFile(), synchronous: 'FULL' });
    expect(full.pragma('synchronous')).toBe(2);
    await full.close();
  });

  it('creates the folder of the file', async () => {
    const path = join(tempFile('unused'), '..', 'nested', 'deeper', 'db.sqlite');
    const store = new SqliteStore({ path });
    await store.createVisitor({ id: 'v1', tokenHash: 'h', createdAt: 1 });
    await store.close();
  });

  it('runs migrations once and records them', async () => {
    const path = tempFile();
    const first = new SqliteStore({ path });
    expect(first.appliedMigrations).toEqual(SQLITE_MIGRATIONS.map((m) => m.version));
    await first.close();
    const second = new SqliteStore({ path });
    expect(second.appliedMigrations).toEqual([]);
    await second.close();
  });

  it('applies a new migration to an existing file, keeping the data', async () => {
    const path = tempFile();
    const v1 = new SqliteStore({ path });
    await v1.createVisitor({ id: 'v1', tokenHash: 'h1', createdAt: 1 });
    await v1.close();
    const extra = { version: NEXT, name: 'visitor note', sql: 'ALTER TABLE visitors ADD COLUMN note TEXT' };
    const v2 = new SqliteStore({ path, migrations: [...SQLITE_MIGRATIONS, extra] });
    expect(v2.appliedMigrations).toEqual([NEXT]);
    expect(await v2.findVisitorByTokenHash('h1')).toEqual({ id: 'v1', tokenHash: 'h1', createdAt: 1 });
    await v2.close();
  });

  it('refuses a file migrated by a newer relay', async () => {
    const path = tempFile();
    const newer = new SqliteStore({ path, migrations: [...SQLITE_MIGRATIONS, { version: 99, name: 'future', sql: 'SELECT 1' }] });
    await newer.close();
    expect(() => new SqliteStore({ path })).toThrow(/migrations 99 .*upgrade the relay/);
  });

  it('rolls back a migration that fails, leaving it unrecorded', async () => {
    const path = tempFile();
    const broken = { version: NEXT, name: 'broken', sql: 'CREATE TABLE ok_table (x INTEGER); CREATE TABLE nope (' };
    expect(() => new SqliteStore({ path, migrations: [...SQLITE_MIGRATIONS, broken] })).toThrow();
    const store = new SqliteStore({ path });
    expect(store.appliedMigrations).toEqual([]); // the shipped ones committed on the failed open; NEXT never did
    await store.close();
    const retry = new SqliteStore({ path, migrations: [...SQLITE_MIGRATIONS, { ...broken, sql: 'CREATE TABLE ok_table (x INTEGER)' }] });
    expect(retry.appliedMigrations).toEqual([NEXT]);
    await retry.close();
  });

  it('keeps everything after the relay restarts (reopening the file)', async () => {
    const path = tempFile();
    const before = new SqliteStore({ path });
    await before.createVisitor({ id: 'v1', tokenHash: 'h1', createdAt: 1 });
    await before.createConversation({ id: 'c1', visitorId: 'v1', at: 10, lang: 'de', context: { url: 'https://x.test/', attributes: { plan: 'pro' } } });
    await before.appendEvent('c1', { kind: 'message', author: { role: 'visitor' }, text: 'Hallo', clientId: 'm1' }, { at: 11 });
    await before.transition('c1', { from: ['bot'], to: 'waiting', by: 'visitor', at: 12 });
    await before.transition('c1', { from: ['waiting'], to: 'active', agent: { id: 'a1', name: 'Alice' }, by: 'agent', at: 13 });
    await before.upsertAgent({ id: 'a1', username: 'alice', name: 'Alice', passwordHash: 'scrypt$x' });
    await before.createAgentSession({ tokenHash: 't1', agentId: 'a1', expiresAt: 1e15 });
    const conversation = await before.getConversation('c1');
    const events = await before.eventsAfter('c1', 0, 100);
    await before.close();

    const after = new SqliteStore({ path });
    expect(await after.getConversation('c1')).toEqual(conversation);
    expect(conversation).toMatchObject({ status: 'active', agent: { id: 'a1', name: 'Alice' }, lastSeq: 3, preview: 'Hallo' });
    expect(conversation?.context).toEqual({ url: 'https://x.test/', attributes: { plan: 'pro' } });
    expect(await after.eventsAfter('c1', 0, 100)).toEqual(events);
    expect(await after.findVisitorByTokenHash('h1')).toMatchObject({ id: 'v1' });
    expect(await after.findAgentByUsername('alice')).toMatchObject({ id: 'a1' });
    expect(await after.findAgentSession('t1', 0)).toMatchObject({ agentId: 'a1' });
    // The numbering continues where it stopped.
    const next = await after.appendEvent('c1', { kind: 'message', author: { role: 'agent', id: 'a1' }, text: 'Hi' }, { at: 14 });
    expect(next).toMatchObject({ ok: true, event: { seq: 4 } });
    // A resend after the restart is still recognised.
    const resend = await after.appendEvent('c1', { kind: 'message', author: { role: 'visitor' }, text: 'Hallo', clientId: 'm1' }, { at: 15 });
    expect(resend).toMatchObject({ ok: true, duplicate: true, event: { seq: 1 } });
    await after.close();
  });

  it('keeps seq gap-free when two stores (two processes) append to the same file', async () => {
    const path = tempFile();
    const a = new SqliteStore({ path });
    const b = new SqliteStore({ path });
    await a.createConversation({ id: 'c1', visitorId: 'v1', at: 1 });
    const msg = (i: number) => ({ kind: 'message' as const, author: { role: 'visitor' as const }, text: `m${i}`, clientId: `id${i % 30}` });
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).appendEvent('c1', msg(i), { at: i })),
    );
    expect(results.filter((r) => r.ok && !r.duplicate)).toHaveLength(30);
    expect((await b.eventsAfter('c1', 0, 100)).map((e) => e.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(await a.getConversation('c1')).toMatchObject({ lastSeq: 30 });
    await a.close();
    await b.close();
  });

  it('throws a clear error when used after close', async () => {
    const store = new SqliteStore({ path: ':memory:' });
    await store.close();
    await store.close(); // harmless
    await expect(store.getConversation('c1')).rejects.toThrow(/closed/);
  });

  it('refuses duplicates with clear errors', async () => {
    const store = new SqliteStore({ path: ':memory:' });
    await store.createConversation({ id: 'c1', visitorId: 'v1', at: 1 });
    await expect(store.createConversation({ id: 'c1', visitorId: 'v1', at: 1 })).rejects.toThrow(/c1 already exists/);
    await store.upsertAgent({ id: 'a1', username: 'alice', name: 'A', passwordHash: 'x' });
    await expect(store.upsertAgent({ id: 'a2', username: 'alice', name: 'B', passwordHash: 'y' })).rejects.toThrow(/alice is taken/);
    await store.close();
  });
});

describe('SqliteStore durability', () => {
  it('keeps every acknowledged append when the relay process is killed (SIGKILL)', async () => {
    // A real second process: compile this store to plain JS (Node 20 cannot run .ts) and
    // let it append as fast as it can, printing each seq once appendEvent resolved (the ack).
    const { spawn } = await import('node:child_process');
    const { writeFileSync, mkdirSync: mkdir, readFileSync } = await import('node:fs');
    const { createRequire } = await import('node:module');
    const { fileURLToPath, pathToFileURL } = await import('node:url');
    const ts = (await import('typescript')).default;
    const here = fileURLToPath(new URL('.', import.meta.url));
    const out = join(tempFile('unused'), '..', 'build');
    const libsqlPath = createRequire(import.meta.url).resolve('libsql');
    for (const file of ['types.ts', 'sqlite.ts', 'sqlite-checkpointer.ts', 'migrations/sqlite.ts']) {
      const js = ts.transpileModule(readFileSync(join(here, file), 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
      }).outputText
        .replace(/from 'libsql'/, `from ${JSON.stringify(pathToFileURL(libsqlPath).href)}`)
        // The checkpoint worker loads the driver by name too (require.resolve takes a path).
        .replace(/\?\? 'libsql'/, `?? ${JSON.stringify(libsqlPath)}`);
      mkdir(dirname(join(out, file)), { recursive: true });
      writeFileSync(join(out, file.replace(/\.ts$/, '.js')), js);
    }
    const dbPath = join(out, 'relay.sqlite');
    writeFileSync(
      join(out, 'child.mjs'),
      `import { SqliteStore } from './sqlite.js';
       const store = new SqliteStore({ path: ${JSON.stringify(dbPath)} });
       await store.createConversation({ id: 'c1', visitorId: 'v1', at: 1 });
       for (let i = 1; ; i++) {
         const r = await store.appendEvent('c1', { kind: 'message', author: { role: 'visitor' }, text: 'm' + i, clientId: 'id' + i }, { at: i });
         process.stdout.write('ack ' + r.event.seq + '\\n');
       }`,
    );
    const child = spawn(process.execPath, [join(out, 'child.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let acked = 0;
    await new Promise<void>((resolve, reject) => {
      let buffer = '';
      child.on('exit', (code) => reject(new Error(`child exited early (${code})`)));
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        for (const match of buffer.matchAll(/ack (\d+)\n/g)) acked = Math.max(acked, Number(match[1]));
        buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
        if (acked >= 300) {
          child.removeAllListeners('exit');
          child.kill('SIGKILL');
          child.on('exit', () => resolve());
        }
      });
    });
    const store = new SqliteStore({ path: dbPath });
    const events = await store.eventsAfter('c1', 0, 100_000);
    expect(events.length).toBeGreaterThanOrEqual(acked);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: events.length }, (_, i) => i + 1));
    expect(await store.getConversation('c1')).toMatchObject({ lastSeq: events.length });
    await store.close();
  });
});
