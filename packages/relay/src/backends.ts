import { InProcessBus, MemoryPresence, RedisBus, RedisPresence, type Bus } from './bus/index.js';
import type { RelayConfig } from './config.js';
import type { RelayPresence } from './gateway/index.js';
import type { Logger } from './logger.js';
import { PostgresStore, SqliteStore, type Store } from './store/index.js';

/** The store, bus and presence a relay process runs on, chosen from its config. */
export interface Backends {
  store: Store;
  bus: Bus;
  presence: RelayPresence;
  /** One line for the startup banner and logs, e.g. `SQLite data/parley.sqlite; in-process bus`. Never holds a password. */
  description: string;
  /** Close everything opened here (idempotent). */
  close(): Promise<void>;
}

/** What {@link openBackends} needs from the config. */
export type BackendConfig = Pick<
  RelayConfig,
  'sqlitePath' | 'databaseUrl' | 'databaseSchema' | 'redisUrl' | 'redisPrefix' | 'presenceTtlMs'
>;

/** A backend that could not be opened; the message names it (without a password) and why. */
export class BackendError extends Error {
  override readonly name = 'BackendError';
}

/** Run `open`, turning a failure into a {@link BackendError} that says what could not be reached. */
async function opening<T>(what: string, open: () => Promise<T> | T): Promise<T> {
  try {
    return await open();
  } catch (error) {
    const reason = error instanceof AggregateError ? error.errors.map((e: Error) => e.message).join('; ') : (error as Error).message;
    throw new BackendError(`cannot open ${what}: ${reason || String(error)}`, { cause: error });
  }
}

/** The URL without its password, for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/**
 * Open the backends the config asks for; the one place the choice is made:
 * - `databaseUrl` (env DATABASE_URL) -> {@link PostgresStore}, else {@link SqliteStore} on
 *   `sqlitePath` (default `./data/parley.sqlite`; WAL; migrations run here);
 * - `redisUrl` (env REDIS_URL) -> {@link RedisBus} and {@link RedisPresence} (agents, visitors),
 *   else {@link InProcessBus} and {@link MemoryPresence} (one relay process only).
 * Rejects if a server cannot be reached, after closing what was already opened.
 *
 * @example
 * const config = await loadConfig();
 * const backends = await openBackends(config, logger);
 * const relay = await createRelay({ config, logger, ...backends });
 * // on shutdown:
 * await relay.close();
 * await backends.close();
 */
export async function openBackends(config: BackendConfig, logger?: Logger): Promise<Backends> {
  const opened: { close(): Promise<void> }[] = [];
  const closeAll = async () => {
    for (const item of opened.splice(0).reverse()) await item.close().catch((err: unknown) => logger?.warn({ err }, 'closing a backend failed'));
  };
  try {
    let store: Store;
    let storeText: string;
    if (config.databaseUrl) {
      const databaseUrl = config.databaseUrl;
      store = await opening(`PostgreSQL at ${redactUrl(databaseUrl)} (DATABASE_URL)`, () =>
        PostgresStore.open({
          connectionString: databaseUrl,
          ...(config.databaseSchema !== undefined ? { schema: config.databaseSchema } : {}),
          onIdleError: (err) => logger?.warn({ err }, 'PostgreSQL connection error'),
        }),
      );
      storeText = `PostgreSQL ${redactUrl(config.databaseUrl)}${config.databaseSchema ? ` (schema ${config.databaseSchema})` : ''}`;
    } else {
      store = await opening(`the SQLite file ${config.sqlitePath}`, () => new SqliteStore({ path: config.sqlitePath }));
      storeText = `SQLite ${config.sqlitePath}`;
    }
    opened.push(store);

    let bus: Bus;
    let presence: RelayPresence;
    let busText: string;
    if (config.redisUrl) {
      const url = config.redisUrl;
      const onError = (err: unknown) => logger?.warn({ err }, 'Redis connection error');
      const what = `Redis at ${redactUrl(url)} (REDIS_URL)`;
      bus = await opening(what, () =>
        RedisBus.connect({
          url,
          channelPrefix: config.redisPrefix,
          onError,
          onHandlerError: (err, topic) => logger?.error({ err, topic }, 'bus subscriber failed'),
        }),
      );
      opened.push(bus);
      const common = { url, keyPrefix: config.redisPrefix, ttlMs: config.presenceTtlMs, onError };
      const agents = await opening(what, () => RedisPresence.connect({ ...common, namespace: 'agents' }));
      opened.push(agents);
      const visitors = await opening(what, () => RedisPresence.connect({ ...common, namespace: 'visitors' }));
      opened.push(visitors);
      presence = { agents, visitors };
      busText = `Redis bus and presence ${redactUrl(url)}`;
    } else {
      bus = new InProcessBus({ onHandlerError: (err, topic) => logger?.error({ err, topic }, 'bus subscriber failed') });
      presence = {
        agents: new MemoryPresence({ ttlMs: config.presenceTtlMs }),
        visitors: new MemoryPresence({ ttlMs: config.presenceTtlMs }),
      };
      opened.push(bus, presence.agents, presence.visitors);
      busText = 'in-process bus (one relay; set REDIS_URL for several)';
    }
    return { store, bus, presence, description: `${storeText}; ${busText}`, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
