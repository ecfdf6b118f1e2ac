import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '@parley/relay';
import { CLI, haveBuild, killAll, noBuildMessage, writeConfig } from './harness.js';

// `parley visitor export|delete ID`: data rights from the command line, on the configured store.

const run = promisify(execFile);
const cli = (args: string[]) =>
  run(process.execPath, [CLI, ...args], { env: { ...process.env, DATABASE_URL: '', REDIS_URL: '' } }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

afterAll(() => killAll());

describe.skipIf(!haveBuild)('parley visitor', () => {
  it('exports a visitor as JSON, deletes them, and says so when nothing is held', { timeout: 30_000 }, async () => {
    const config = await writeConfig({});
    const path = join(JSON.parse(await readFile(config, 'utf8')).dataDir, 'parley.sqlite');
    const seed = new SqliteStore({ path });
    await seed.createVisitor({ id: 'v1', tokenHash: 'secret-hash', createdAt: 1 });
    await seed.createConversation({ id: 'c1', visitorId: 'v1', at: 2 });
    await seed.appendEvent('c1', { kind: 'message', author: { role: 'visitor' }, text: 'my withdrawal is stuck', clientId: 'm1' }, { at: 3 });
    await seed.createVisitor({ id: 'v2', tokenHash: 'other', createdAt: 1 });
    await seed.close();

    const exported = await cli(['visitor', 'export', 'v1', '--config', config]);
    expect(exported.code).toBe(0);
    const doc = JSON.parse(exported.stdout) as { visitor: { id: string }; conversations: { events: { text: string }[] }[] };
    expect(doc.visitor.id).toBe('v1');
    expect(doc.conversations[0]!.events[0]!.text).toBe('my withdrawal is stuck');
    expect(exported.stdout).not.toContain('secret-hash');

    const deleted = await cli(['visitor', 'delete', 'v1', '--config', config]);
    expect(deleted).toMatchObject({ code: 0 });
    expect(deleted.stdout).toContain('1 conversation(s), 1 event(s)');

    const gone = await cli(['visitor', 'export', 'v1', '--config', config]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('nothing is held about visitor v1');
    const check = new SqliteStore({ path });
    expect(await check.exportVisitor('v2')).not.toBeNull();
    await check.close();

    const bad = await cli(['visitor', 'export', 'a/b', '--config', config]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('visitor id');
  });
});

// Said once, and only when it applies: a skipped suite must say why.
if (!haveBuild) it.skip(`parley visitor: ${noBuildMessage}`, () => {});
