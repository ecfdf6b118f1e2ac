/**
 * Test-only: find the external servers (PostgreSQL, Redis) that integration tests need, and
 * decide what to do when one is missing. Never silently: without `CI` the suite is skipped
 * with a console message naming it and why; with `CI` set, the test file fails.
 */
import pg from 'pg';
import { createClient } from '@redis/client';

/** Where the PostgreSQL tests connect: `PARLEY_TEST_PG` or this. */
export const DEFAULT_TEST_PG = 'postgres://postgres@127.0.0.1:5432/test';
/** Where the Redis tests connect: `PARLEY_TEST_REDIS` or this. */
export const DEFAULT_TEST_REDIS = 'redis://127.0.0.1:6379';

/** The outcome of {@link findService}: a URL to use, or why the suite is skipped. */
export type ServiceLookup = { url: string; skip?: undefined } | { url?: undefined; skip: string };

/** What {@link findService} needs to know. */
export interface ServiceSpec {
  /** The suite, as shown in the skip message, e.g. 'PostgresStore'. */
  suite: string;
  /** The environment variable holding the URL, e.g. 'PARLEY_TEST_PG'. */
  envVar: string;
  defaultUrl: string;
  /** Resolves when the server answers; rejects (or times out) otherwise. */
  probe: (url: string) => Promise<void>;
  /** @default 3000 */
  timeoutMs?: number;
  /** @default process.env */
  env?: Record<string, string | undefined>;
  /** @default console.warn */
  warn?: (message: string) => void;
}

/**
 * Probe a server for an integration suite. Throws when it is unreachable and `CI` is set
 * (so CI can never pass by skipping); otherwise warns and returns the skip reason.
 *
 * @example
 * const pgService = await findService({ suite: 'PostgresStore', envVar: 'PARLEY_TEST_PG', defaultUrl: DEFAULT_TEST_PG, probe: probePostgres });
 * if (pgService.url) describeStore('PostgresStore', () => PostgresStore.open({ connectionString: pgService.url }));
 * else it.skip(pgService.skip, () => {});
 */
export async function findService(spec: ServiceSpec): Promise<ServiceLookup> {
  const env = spec.env ?? process.env;
  const url = env[spec.envVar] || spec.defaultUrl;
  const timeoutMs = spec.timeoutMs ?? 3000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      spec.probe(url),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { url };
  } catch (error) {
    const reason = `${spec.suite}: cannot reach ${redact(url)} (${spec.envVar}): ${error instanceof Error ? error.message : String(error)}`;
    // CI=false or CI=0 mean "not CI" (some shells export it that way).
    const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
    if (ci) throw new Error(`${reason}. CI is set, so this suite fails instead of being skipped.`);
    const skip = `${reason} - SKIPPED (start the server or set ${spec.envVar}; with CI set this fails)`;
    (spec.warn ?? console.warn)(skip);
    return { skip };
  } finally {
    clearTimeout(timer);
  }
}

// Passwords in a connection URL must not end up in test logs.
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

/**
 * Resolves when PostgreSQL at `url` answers `SELECT 1`.
 *
 * @example
 * await probePostgres('postgres://postgres@127.0.0.1:5432/test');
 */
export async function probePostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  // An 'error' event without a listener would crash the test process.
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Resolves when Redis at `url` answers PING.
 *
 * @example
 * await probeRedis('redis://127.0.0.1:6379');
 */
export async function probeRedis(url: string): Promise<void> {
  // No reconnect: a missing server must fail the probe, not retry forever.
  const client = createClient({ url, socket: { connectTimeout: 2000, reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
  } finally {
    if (client.isOpen) client.destroy();
  }
}
