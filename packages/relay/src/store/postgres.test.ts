import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_TEST_PG, findService, probePostgres } from '../testing/services.js';
import { POSTGRES_MIGRATIONS } from './migrations/postgres.js';
import { PostgresStore } from './postgres.js';
import { describeStore } from './store.suite.js';
import type { EventDraft } from '@parley/protocol';

const service = await findService({ suite: 'PostgresStore', envVar: 'PARLEY_TEST_PG', defaultUrl: DEFAULT_TEST_PG, probe: probePostgres });

if (service.url === undefined) {
  it.skip(service.skip, () => {});
} else {
  const url = service.url;
  // Every store gets its own schema, so tests (and parallel test files) never see each
  // other's rows; all are dropped when the file ends.
  const schemas: string[] = [];
  const newSchema = () => {
    const name = `parley_test_${randomBytes(6).toString('hex')}`;
    schemas.push(name);
    return name;
  };
  afterAll(async () => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      for (const name of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    } finally {
      await admin.end();
    }
  });

  describeStore('PostgresStore', () => PostgresStore.open({ connectionString: url, schema: newSchema() }));

  const msg = (i: number, clientId = `id${i}`): EventDraft => ({ kind: 'message', author: { role: 'visitor' }, text: `m${i}`, clientId });

  describe('PostgresStore specifics', () => {
    it('runs migrations once and records them', async () => {
      const schema = newSchema();
      const first = await PostgresStore.open({ connectionString: url, schema });
      expect(first.appliedMigrations).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
      await first.close();
      const second = await PostgresStore.open({ connectionString: url, schema });
      expect(second.appliedMigrations).toEqual([]);
      await second.close();
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      const { rows } = await admin.query(`SELECT version, name FROM "${schema}".schema_migrations ORDER BY version`);
      await admin.end();
      expect(rows).toEqual(POSTGRES_MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    });

    it('migrates once when two relays start at the same time', async () => {
      const schema = newSchema();
      const [a, b] = await Promise.all([
        PostgresStore.open({ connectionString: url, schema }),
        PostgresStore.open({ connectionString: url, schema }),
      ]);
      expect([...a.appliedMigrations, ...b.appliedMigrations]).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
      await Promise.all([a.close(), b.close()]);
    });

    it('rolls back a failing migration and refuses a database from a newer relay', async () => {
      const schema = newSchema();
      const broken = { version: POSTGRES_MIGRATIONS.length + 1, name: 'broken', sql: 'CREATE TABLE ok_table (x INT); CREATE TABLE nope (' };
      await expect(PostgresStore.open({ connectionString: url, schema, migrations: [...POSTGRES_MIGRATIONS, broken] })).rejects.toThrow();
      // Nothing was applied: PostgreSQL DDL is transactional.
      const fresh = await PostgresStore.open({ connectionString: url, schema });
      expect(fresh.appliedMigrations).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
      await fresh.close();
      const newer = await PostgresStore.open({ connectionString: url, schema, migrations: [...POSTGRES_MIGRATIONS, { version: 9, name: 'future', sql: 'SELECT 1' }] });
      await newer.close();
      await expect(PostgresStore.open({ connectionString: url, schema })).rejects.toThrow(/migrations 9 .*upgrade the relay/);
    });

    it('keeps seq gap-free and clientIds unique when two relays append at once', async () => {
      const schema = newSchema();
      const a = await PostgresStore.open({ connectionString: url, schema, maxConnections: 5 });
      const b = await PostgresStore.open({ connectionString: url, schema, maxConnections: 5 });
      try {
        await a.createConversation({ id: 'c1', visitorId: 'v1', at: 1 });
        // 80 appends, half through each relay; clientIds repeat (the same message resent to
        // both relays after a reconnect), so 40 distinct messages.
        const results = await Promise.all(
          Array.from({ length: 80 }, (_, i) => (i % 2 ? a : b).appendEvent('c1', msg(i, `id${i % 40}`), { at: i })),
        );
        expect(results.every((r) => r.ok)).toBe(true);
        expect(results.filter((r) => r.ok && !r.duplicate)).toHaveLength(40);
        const events = await b.eventsAfter('c1', 0, 1000);
        expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
        expect(new Set(events.map((e) => (e.kind === 'message' ? e.clientId : ''))).size).toBe(40);
        expect(await a.getConversation('c1')).toMatchObject({ lastSeq: 40 });
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });

    it('never gives one conversation to two agents on different relays, even while messages arrive', async () => {
      const schema = newSchema();
      const a = await PostgresStore.open({ connectionString: url, schema, maxConnections: 5 });
      const b = await PostgresStore.open({ connectionString: url, schema, maxConnections: 5 });
      try {
        for (let c = 0; c < 5; c++) {
          await a.createConversation({ id: `c${c}`, visitorId: `v${c}`, at: 1 });
          await a.transition(`c${c}`, { from: ['bot'], to: 'waiting', by: 'visitor', at: 2 });
        }
        const takes = [];
        const appends = [];
        for (let c = 0; c < 5; c++) {
          for (let i = 0; i < 6; i++) {
            const relay = i % 2 ? a : b;
            takes.push(relay.transition(`c${c}`, { from: ['waiting'], to: 'active', agent: { id: `a${i}`, name: `A${i}` }, by: 'agent', at: 3 }));
            appends.push(relay.appendEvent(`c${c}`, msg(i), { at: 3 }));
          }
        }
        const results = await Promise.all(takes);
        await Promise.all(appends);
        for (let c = 0; c < 5; c++) {
          const mine = results.slice(c * 6, c * 6 + 6).filter((r) => r.ok);
          expect(mine).toHaveLength(1);
          const events = await a.eventsAfter(`c${c}`, 0, 100);
          expect(events.map((e) => e.seq)).toEqual(Array.from({ length: events.length }, (_, i) => i + 1));
          expect(events.filter((e) => e.kind === 'status' && e.status === 'active')).toHaveLength(1);
          const winner = mine[0]!.ok ? mine[0]!.conversation.agent : undefined;
          expect((await b.getConversation(`c${c}`))?.agent).toEqual(winner);
        }
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });

    it('keeps the data for the next relay process (a new pool)', async () => {
      const schema = newSchema();
      const before = await PostgresStore.open({ connectionString: url, schema });
      await before.createConversation({ id: 'c1', visitorId: 'v1', at: 1, context: { url: 'https://x.test/', attributes: { plan: 'pro' } } });
      await before.appendEvent('c1', msg(1, 'm1'), { at: 2 });
      await before.close();
      const after = await PostgresStore.open({ connectionString: url, schema });
      expect(await after.getConversation('c1')).toMatchObject({ lastSeq: 1, preview: 'm1', context: { url: 'https://x.test/', attributes: { plan: 'pro' } } });
      expect(await after.appendEvent('c1', msg(1, 'm1'), { at: 3 })).toMatchObject({ ok: true, duplicate: true, event: { seq: 1, at: 2 } });
      await after.close();
    });

    it('refuses a schema name that is not a plain identifier, and use after close', async () => {
      await expect(PostgresStore.open({ connectionString: url, schema: 'x"; DROP TABLE y; --' })).rejects.toThrow(/schema must be/);
      const store = await PostgresStore.open({ connectionString: url, schema: newSchema() });
      await store.close();
      await store.close();
      await expect(store.getConversation('c1')).rejects.toThrow(/closed/);
    });

    it('uses its schema, READ COMMITTED, and bounds time idle inside a transaction', async () => {
      const schema = newSchema();
      const store = await PostgresStore.open({ connectionString: url, schema });
      expect(await store.setting('search_path')).toBe(schema);
      expect(await store.setting('transaction_isolation')).toBe('read committed');
      expect(await store.setting('idle_in_transaction_session_timeout')).toBe('30s');
      await store.close();
    });

    it('fails to open with a clear error when the server is not there', async () => {
      await expect(PostgresStore.open({ connectionString: 'postgres://postgres@127.0.0.1:1/test', connectionTimeoutMs: 1000 })).rejects.toThrow();
    });
  });
}
