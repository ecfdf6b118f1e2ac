import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openBackends, redactUrl } from './backends.js';
import { InProcessBus, MemoryPresence, RedisBus, RedisPresence } from './bus/index.js';
import { PostgresStore, SqliteStore } from './store/index.js';
import { DEFAULT_TEST_PG, DEFAULT_TEST_REDIS, findService, probePostgres, probeRedis } from './testing/services.js';

const base = { redisPrefix: 'parley:', presenceTtlMs: 30_000 };
const dirs: string[] = [];
const tempDir = async (): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'parley-backends-'));
  dirs.push(dir);
  return dir;
};
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('backends: the one place the store and bus are chosen', () => {
  it('defaults to a SQLite file (created with its folder, migrated) and the in-process bus', async () => {
    const dir = await tempDir();
    const sqlitePath = join(dir, 'data', 'parley.sqlite');
    const backends = await openBackends({ ...base, sqlitePath });
    try {
      expect(backends.store).toBeInstanceOf(SqliteStore);
      expect((backends.store as SqliteStore).appliedMigrations.length).toBeGreaterThan(0);
      expect((backends.store as SqliteStore).pragma('journal_mode')).toBe('wal');
      expect(backends.bus).toBeInstanceOf(InProcessBus);
      expect(backends.presence.agents).toBeInstanceOf(MemoryPresence);
      expect(existsSync(sqlitePath)).toBe(true);
      expect(backends.description).toMatch(/^SQLite .*parley\.sqlite; in-process bus/);
    } finally {
      await backends.close();
    }
  });

  it('rejects when Redis cannot be reached, closing the store it had opened', async () => {
    const dir = await tempDir();
    await expect(openBackends({ ...base, sqlitePath: join(dir, 'p.sqlite'), redisUrl: 'redis://:pw@127.0.0.1:1' })).rejects.toThrow(
      /^cannot open Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1 \(REDIS_URL\): .*ECONNREFUSED/,
    );
    // The file is not held open: a second store opens it and writes at once.
    const again = new SqliteStore({ path: join(dir, 'p.sqlite'), busyTimeoutMs: 0 });
    await again.createVisitor({ id: 'v', tokenHash: 'h', createdAt: 1 });
    await again.close();
  });

  it('names PostgreSQL, without the password, when it cannot be reached', async () => {
    const error = await openBackends({ ...base, sqlitePath: 'unused', databaseUrl: 'postgres://parley:s3cret@127.0.0.1:1/parley' }).catch((e: Error) => e);
    expect(error).toMatchObject({ name: 'BackendError' });
    expect((error as Error).message).toMatch(/^cannot open PostgreSQL at postgres:\/\/parley:\*\*\*@127\.0\.0\.1:1\/parley \(DATABASE_URL\): /);
    expect((error as Error).message).not.toContain('s3cret');
  });

  it('never shows a password in the description', () => {
    expect(redactUrl('postgres://parley:s3cret@db:5432/parley')).toBe('postgres://parley:***@db:5432/parley');
    expect(redactUrl('not a url')).not.toContain('not a url');
  });
});

const pgService = await findService({ suite: 'backends (PostgreSQL)', envVar: 'PARLEY_TEST_PG', defaultUrl: DEFAULT_TEST_PG, probe: probePostgres });
const redisService = await findService({ suite: 'backends (Redis)', envVar: 'PARLEY_TEST_REDIS', defaultUrl: DEFAULT_TEST_REDIS, probe: probeRedis });

describe.skipIf(pgService.skip !== undefined || redisService.skip !== undefined)('backends with DATABASE_URL and REDIS_URL', () => {
  it('selects PostgresStore (in the given schema), RedisBus and RedisPresence', async () => {
    const schema = `parley_backends_${randomBytes(5).toString('hex')}`;
    const backends = await openBackends({
      ...base,
      sqlitePath: '/nonexistent/never-used.sqlite',
      databaseUrl: pgService.url!,
      databaseSchema: schema,
      redisUrl: redisService.url!,
      redisPrefix: `parley-test-${schema}:`,
    });
    try {
      expect(backends.store).toBeInstanceOf(PostgresStore);
      expect((backends.store as PostgresStore).schema).toBe(schema);
      expect(backends.bus).toBeInstanceOf(RedisBus);
      expect(backends.presence.visitors).toBeInstanceOf(RedisPresence);
      expect(backends.description).toContain(`schema ${schema}`);
      await backends.presence.agents.heartbeat('a1');
      expect(await backends.presence.agents.list()).toEqual(['a1']);
      expect(await backends.presence.visitors.list()).toEqual([]);
    } finally {
      await backends.close();
      const client = new pg.Client({ connectionString: pgService.url! });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  });
});
