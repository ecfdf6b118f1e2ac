/**
 * PostgresStore: the {@link Store} for several relay processes sharing one PostgreSQL
 * database, on the `pg` driver (a connection Pool).
 *
 * Concurrency (READ COMMITTED, the PostgreSQL default):
 * - an append locks the conversation row (`SELECT ... FOR UPDATE`) before reading last_seq,
 *   so appends to one conversation from any number of relays take turns and seq stays
 *   gap-free; UNIQUE (conversation_id, seq) and UNIQUE (conversation_id, client_id) back it;
 * - a transition is `UPDATE ... WHERE status = ANY($from) RETURNING` in the same transaction
 *   that inserts the status event: PostgreSQL re-checks the WHERE after waiting for a
 *   concurrent writer, so of two agents taking one conversation exactly one row is updated.
 */
import pg from 'pg';
import type { ConversationEvent, ConversationStatus, EventDraft, StatusEvent, TicketMessage, TicketStatus } from '@parley/protocol';
import { POSTGRES_MIGRATIONS } from './migrations/postgres.js';
import type { SqlMigration } from './migrations/sqlite.js';
import {
  applyFields,
  deskOf,
  previewOf,
  statusDraft,
  type DeskFields,
  type TicketListItem,
  type TicketRecord,
  type TransitionResultBase,
  type UpdateGuard,
  type AgentRecord,
  type AgentSessionRecord,
  type AppendOptions,
  type AppendResult,
  type ConversationRecord,
  type NewConversation,
  type StatusTransition,
  type Store,
  type TransitionResult,
  type VisitorData,
  type VisitorDeletion,
  type VisitorRecord,
} from './types.js';

/** Options for {@link PostgresStore.open}. */
export interface PostgresStoreOptions {
  /** e.g. `postgres://parley:secret@db.internal:5432/parley`. */
  connectionString: string;
  /**
   * The schema to keep the tables in; created if missing, and put first on every
   * connection's search_path. Tests give each store its own, so they never collide.
   * Lower-case letters, digits and `_` only.
   * @default the connection's default search_path (normally `public`)
   */
  schema?: string;
  /** Most connections the pool opens. @default 10 */
  maxConnections?: number;
  /** Give up connecting after this long (ms). @default 10000 */
  connectionTimeoutMs?: number;
  /** The migrations to apply (tests pass a longer list). @default POSTGRES_MIGRATIONS */
  migrations?: readonly SqlMigration[];
  /**
   * Told about an error on an idle pooled connection (e.g. the server restarted); the pool
   * drops that connection and opens a new one when needed.
   * @default ignore
   */
  onIdleError?: (error: Error) => void;
}

interface ConversationRow {
  id: string;
  visitor_id: string;
  status: ConversationStatus;
  lang: string | null;
  context: ConversationRecord['context'] | null;
  agent_id: string | null;
  agent_name: string | null;
  created_at: string; // BIGINT comes back as a string (it may exceed 2^53)
  updated_at: string;
  last_seq: number;
  preview: string | null;
  desk: Partial<ConversationRecord> | null;
}

interface TicketRow {
  number: string;
  status: TicketStatus;
  created_at: string;
  updated_at: string;
  message_count: number;
  data: Partial<TicketRecord>;
}

function toTicketItem(row: TicketRow): TicketListItem & { context?: TicketRecord['context'] } {
  return { ...row.data, number: row.number, status: row.status, createdAt: num(row.created_at), updatedAt: num(row.updated_at), messageCount: row.message_count } as TicketListItem;
}

const TICKET_COLUMNS = 'number, status, created_at, updated_at, message_count, data';

/** The desk fields as the JSON kept in the `desk` column (null when none). */
function deskJson(record: Partial<ConversationRecord>): string | null {
  const desk = deskOf(record);
  return Object.keys(desk).length === 0 ? null : JSON.stringify(desk);
}

interface EventRow {
  seq: number;
  at: string;
  body: Record<string, unknown>;
}

const CONVERSATION_COLUMNS =
  'id, visitor_id, status, lang, context, agent_id, agent_name, created_at, updated_at, last_seq, preview, desk';

// Epoch milliseconds fit a double exactly until the year 287396.
const num = (value: string | number): number => Number(value);

function toConversation(row: ConversationRow): ConversationRecord {
  return {
    id: row.id,
    visitorId: row.visitor_id,
    status: row.status,
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
    lastSeq: row.last_seq,
    ...(row.lang !== null ? { lang: row.lang } : {}),
    ...(row.context !== null ? { context: row.context } : {}),
    ...(row.agent_id !== null ? { agent: { id: row.agent_id, name: row.agent_name ?? '' } } : {}),
    ...(row.preview !== null ? { preview: row.preview } : {}),
    ...(row.desk !== null ? row.desk : {}),
  };
}

// The body holds the event without seq and at (their own columns).
const toEvent = (row: EventRow): ConversationEvent => ({ ...row.body, seq: row.seq, at: num(row.at) }) as ConversationEvent;

const isUniqueViolation = (error: unknown): boolean => (error as { code?: string } | null)?.code === '23505';

// Lower case only: the search_path startup option folds unquoted names to lower case.
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

// Transactions here are a handful of statements; one idle this long is stuck.
const IDLE_IN_TRANSACTION_MS = 30_000;

// Any fixed number: the advisory lock that serialises migrations across relays starting together.
const MIGRATION_LOCK = 0x7061726c; // 'parl'

/**
 * The {@link Store} on PostgreSQL, for running several relays against one database.
 * `open` connects, creates the schema if asked, and applies migrations before resolving,
 * so a wrong URL or password fails at startup.
 *
 * @example
 * const store = await PostgresStore.open({ connectionString: process.env.DATABASE_URL! });
 * const relay = await createRelay({ store, bus: new RedisBus({ url: process.env.REDIS_URL! }) });
 * // ...
 * await store.close();
 */
export class PostgresStore implements Store {
  readonly #pool: pg.Pool;
  readonly #schema: string | undefined;
  #appliedMigrations: readonly number[] = [];
  #closed = false;

  private constructor(pool: pg.Pool, schema: string | undefined) {
    this.#pool = pool;
    this.#schema = schema;
  }

  /** Connect, prepare the schema and migrate. Rejects (and releases the pool) on failure. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const schema = options.schema;
    if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
      throw new Error(`schema must be lower-case letters, digits and _ (got ${JSON.stringify(schema)})`);
    }
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
      // Startup parameters, set before the first query on every connection (no race with a
      // 'connect' handler): the schema, and a bound on how long a frozen relay can sit in an
      // open transaction holding a conversation's row lock (a crashed one's connection is
      // closed and rolled back by the server anyway).
      options: [
        `-c idle_in_transaction_session_timeout=${IDLE_IN_TRANSACTION_MS}`,
        ...(schema !== undefined ? [`-c search_path=${schema}`] : []),
      ].join(' '),
    });
    // Without a listener, an idle connection's error (server restart) would crash the process.
    const onIdleError = options.onIdleError ?? (() => {});
    pool.on('error', (error) => onIdleError(error));
    const store = new PostgresStore(pool, schema);
    try {
      store.#appliedMigrations = await store.#migrate(options.migrations ?? POSTGRES_MIGRATIONS);
    } catch (error) {
      await pool.end().catch(() => {});
      throw error;
    }
    return store;
  }

  /** Migration versions this open applied (empty if the database was already up to date). */
  get appliedMigrations(): readonly number[] {
    return this.#appliedMigrations;
  }

  /** The schema the tables live in, when one was given. */
  get schema(): string | undefined {
    return this.#schema;
  }

  /** A server setting as this store's connections see it, e.g. `setting('search_path')` (diagnostics, tests). */
  async setting(name: 'search_path' | 'idle_in_transaction_session_timeout' | 'transaction_isolation'): Promise<string> {
    // SHOW takes no parameters; the name is one of the literals above, never outside text.
    if (!/^[a-z_]+$/.test(name)) throw new Error(`not a setting name: ${name}`);
    const [row] = await this.#query<Record<string, string>>(`SHOW ${name}`);
    return Object.values(row ?? {})[0] ?? '';
  }

  async #migrate(migrations: readonly SqlMigration[]): Promise<number[]> {
    return this.#tx(async (client) => {
      // Transaction-scoped advisory lock: a second relay starting now waits here, then sees
      // the migrations as applied. Released by COMMIT/ROLLBACK.
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      if (this.#schema !== undefined) {
        // Under the lock: two relays creating the same schema at once would otherwise race.
        // SET LOCAL re-applies the search_path now that the schema exists.
        await client.query(`CREATE SCHEMA IF NOT EXISTS "${this.#schema}"`);
        await client.query(`SET LOCAL search_path TO "${this.#schema}"`);
      }
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        applied_at BIGINT NOT NULL
      )`);
      const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
      const applied = new Set(rows.map((r) => r.version));
      const known = new Set(migrations.map((m) => m.version));
      const unknown = [...applied].filter((v) => !known.has(v));
      if (unknown.length > 0) {
        throw new Error(`database has schema migrations ${unknown.join(', ')} that this relay does not know; upgrade the relay`);
      }
      // PostgreSQL DDL is transactional, so all missing migrations commit together or not at all.
      const done: number[] = [];
      for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
        if (applied.has(migration.version)) continue;
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          migration.version,
          migration.name,
          Date.now(),
        ]);
        done.push(migration.version);
      }
      return done;
    });
  }

  /** Run `work` in a transaction on one pooled connection; ROLLBACK if it throws. */
  async #tx<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    this.#open();
    const client = await this.#pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        // The connection is unusable: destroy it instead of returning it to the pool.
        broken = rollbackError as Error;
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  #open(): void {
    if (this.#closed) throw new Error('PostgresStore is closed');
  }

  async #query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    this.#open();
    return (await this.#pool.query<R>(sql, params)).rows;
  }

  async createVisitor(visitor: VisitorRecord): Promise<void> {
    try {
      await this.#query('INSERT INTO visitors (id, token_hash, created_at) VALUES ($1, $2, $3)', [
        visitor.id,
        visitor.tokenHash,
        visitor.createdAt,
      ]);
    } catch (error) {
      if (isUniqueViolation(error)) throw new Error(`visitor ${visitor.id} already exists (or its token hash is in use)`);
      throw error;
    }
  }

  async findVisitorByTokenHash(tokenHash: string): Promise<VisitorRecord | null> {
    const [row] = await this.#query<{ id: string; token_hash: string; created_at: string }>(
      'SELECT id, token_hash, created_at FROM visitors WHERE token_hash = $1',
      [tokenHash],
    );
    return row ? { id: row.id, tokenHash: row.token_hash, createdAt: num(row.created_at) } : null;
  }

  async createConversation(input: NewConversation): Promise<ConversationRecord> {
    try {
      const [row] = await this.#query<ConversationRow>(
        `INSERT INTO conversations (id, visitor_id, status, lang, context, created_at, updated_at, desk)
         VALUES ($1, $2, 'bot', $3, $4, $5, $5, $6) RETURNING ${CONVERSATION_COLUMNS}`,
        [input.id, input.visitorId, input.lang ?? null, input.context !== undefined ? JSON.stringify(input.context) : null, input.at, deskJson(input)],
      );
      return toConversation(row!);
    } catch (error) {
      if (isUniqueViolation(error)) throw new Error(`conversation ${input.id} already exists`);
      throw error;
    }
  }

  async getConversation(id: string): Promise<ConversationRecord | null> {
    const [row] = await this.#query<ConversationRow>(`SELECT ${CONVERSATION_COLUMNS} FROM conversations WHERE id = $1`, [id]);
    return row ? toConversation(row) : null;
  }

  async findOpenConversation(visitorId: string): Promise<ConversationRecord | null> {
    // row_no breaks ties between equal timestamps: the later created wins, as in MemoryStore.
    const [row] = await this.#query<ConversationRow>(
      `SELECT ${CONVERSATION_COLUMNS} FROM conversations WHERE visitor_id = $1 AND status <> 'closed'
       ORDER BY created_at DESC, row_no DESC LIMIT 1`,
      [visitorId],
    );
    return row ? toConversation(row) : null;
  }

  async listConversations(statuses: readonly ConversationStatus[], limit: number): Promise<ConversationRecord[]> {
    if (statuses.length === 0 || limit <= 0) return [];
    const rows = await this.#query<ConversationRow>(
      `SELECT ${CONVERSATION_COLUMNS} FROM conversations WHERE status = ANY($1::text[])
       ORDER BY updated_at, created_at, row_no LIMIT $2`,
      [[...statuses], Math.floor(limit)],
    );
    return rows.map(toConversation);
  }

  async appendEvent(conversationId: string, draft: EventDraft, options: AppendOptions): Promise<AppendResult> {
    return this.#tx(async (client) => {
      // The row lock makes every other append or transition of this conversation wait until
      // we commit, so the seq read here is still the last one when we insert.
      const { rows } = await client.query<ConversationRow>(
        `SELECT ${CONVERSATION_COLUMNS} FROM conversations WHERE id = $1 FOR UPDATE`,
        [conversationId],
      );
      const row = rows[0];
      if (!row) return { ok: false, reason: 'not_found' } as const;
      const current = toConversation(row);
      if (options.visitorId !== undefined && current.visitorId !== options.visitorId) return { ok: false, reason: 'forbidden' } as const;
      const clientId = draft.kind !== 'status' ? draft.clientId : undefined;
      if (clientId !== undefined) {
        const existing = await client.query<EventRow>(
          'SELECT seq, at, body FROM events WHERE conversation_id = $1 AND client_id = $2',
          [conversationId, clientId],
        );
        // Duplicate before status, as in MemoryStore: a resend of a message appended before
        // the conversation closed still gets its original ack.
        const first = existing.rows[0];
        if (first) return { ok: true, event: toEvent(first), duplicate: true, conversation: current } as const;
      }
      if (options.whenStatus && !options.whenStatus.includes(current.status)) {
        return { ok: false, reason: 'status', conversation: current } as const;
      }
      const seq = current.lastSeq + 1;
      const inserted = await client.query<EventRow>(
        'INSERT INTO events (conversation_id, seq, at, client_id, body) VALUES ($1, $2, $3, $4, $5) RETURNING seq, at, body',
        [conversationId, seq, options.at, clientId ?? null, JSON.stringify(draft)],
      );
      const updated = await client.query<ConversationRow>(
        `UPDATE conversations SET last_seq = $2, updated_at = GREATEST(updated_at, $3), preview = COALESCE($4, preview)
         WHERE id = $1 RETURNING ${CONVERSATION_COLUMNS}`,
        [conversationId, seq, options.at, draft.kind === 'message' ? previewOf(draft.text) : null],
      );
      return { ok: true, event: toEvent(inserted.rows[0]!), duplicate: false, conversation: toConversation(updated.rows[0]!) } as const;
    });
  }

  async eventsAfter(conversationId: string, afterSeq: number, limit: number): Promise<ConversationEvent[]> {
    if (limit <= 0) return [];
    const rows = await this.#query<EventRow>(
      'SELECT seq, at, body FROM events WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
      [conversationId, Math.floor(afterSeq), Math.floor(limit)],
    );
    return rows.map(toEvent);
  }

  async transition(conversationId: string, change: StatusTransition): Promise<TransitionResult> {
    return this.#tx(async (client): Promise<TransitionResult> => {
      // Compare-and-set under the row lock: a concurrent take or transfer on another relay
      // waits here until we commit, then sees the new status (and agent) and is refused.
      const current = await this.#locked(client, conversationId);
      if (!current) return { ok: false, conversation: null };
      if (!change.from.includes(current.status)) return { ok: false, conversation: current };
      if (change.fromAgentId !== undefined && current.agent?.id !== change.fromAgentId) return { ok: false, conversation: current };
      const next: ConversationRecord = { ...current, status: change.to, lastSeq: current.lastSeq + 1, updatedAt: Math.max(current.updatedAt, change.at) };
      if (change.agent) next.agent = { id: change.agent.id, name: change.agent.name };
      else if (change.to === 'waiting' || change.to === 'bot') delete next.agent;
      if (change.to === 'waiting' && next.waitingSince === undefined) next.waitingSince = change.at;
      if (change.set) applyFields(next, change.set);
      const row = await this.#write(client, next);
      const inserted = await client.query<EventRow>(
        'INSERT INTO events (conversation_id, seq, at, client_id, body) VALUES ($1, $2, $3, NULL, $4) RETURNING seq, at, body',
        [conversationId, next.lastSeq, change.at, JSON.stringify(statusDraft(change))],
      );
      return { ok: true, conversation: toConversation(row), event: toEvent(inserted.rows[0]!) as StatusEvent };
    });
  }

  async #locked(client: pg.PoolClient, conversationId: string): Promise<ConversationRecord | null> {
    const { rows } = await client.query<ConversationRow>(`SELECT ${CONVERSATION_COLUMNS} FROM conversations WHERE id = $1 FOR UPDATE`, [conversationId]);
    return rows[0] ? toConversation(rows[0]) : null;
  }

  async #write(client: pg.PoolClient, next: ConversationRecord): Promise<ConversationRow> {
    const { rows } = await client.query<ConversationRow>(
      `UPDATE conversations SET status = $2, lang = $3, agent_id = $4, agent_name = $5, last_seq = $6, updated_at = $7, desk = $8
       WHERE id = $1 RETURNING ${CONVERSATION_COLUMNS}`,
      [next.id, next.status, next.lang ?? null, next.agent?.id ?? null, next.agent?.name ?? null, next.lastSeq, next.updatedAt, deskJson(next)],
    );
    return rows[0]!;
  }

  async updateConversation(conversationId: string, set: DeskFields, guard: UpdateGuard = {}): Promise<TransitionResultBase> {
    return this.#tx(async (client): Promise<TransitionResultBase> => {
      const current = await this.#locked(client, conversationId);
      if (!current) return { ok: false, conversation: null };
      if (guard.whenStatus && !guard.whenStatus.includes(current.status)) return { ok: false, conversation: current };
      if (guard.unrated && current.rating !== undefined) return { ok: false, conversation: current };
      applyFields(current, set);
      return { ok: true, conversation: toConversation(await this.#write(client, current)) };
    });
  }

  async createTicket(ticket: TicketRecord): Promise<void> {
    const { number, status, createdAt, updatedAt, messages, ...data } = ticket;
    try {
      await this.#tx(async (client) => {
        await client.query(`INSERT INTO tickets (${TICKET_COLUMNS}, conversation_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
          number,
          status,
          createdAt,
          updatedAt,
          messages.length,
          JSON.stringify(data),
          data.conversationId ?? null,
        ]);
        for (const [i, m] of messages.entries()) {
          await client.query('INSERT INTO ticket_messages (number, n, body) VALUES ($1, $2, $3)', [number, i + 1, JSON.stringify(m)]);
        }
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new Error(`ticket ${number} already exists`);
      throw error;
    }
  }

  async #ticket(client: pg.PoolClient | pg.Pool, number: string): Promise<TicketRecord | null> {
    const { rows } = await client.query<TicketRow>(`SELECT ${TICKET_COLUMNS} FROM tickets WHERE number = $1`, [number]);
    if (!rows[0]) return null;
    const { messageCount: _count, ...item } = toTicketItem(rows[0]);
    const messages = await client.query<{ body: TicketMessage }>('SELECT body FROM ticket_messages WHERE number = $1 ORDER BY n', [number]);
    return { ...item, messages: messages.rows.map((r) => r.body) };
  }

  async getTicket(number: string): Promise<TicketRecord | null> {
    this.#open();
    return this.#ticket(this.#pool, number);
  }

  async listTickets(query: { status?: TicketStatus; limit: number }): Promise<TicketListItem[]> {
    if (query.limit <= 0) return [];
    const rows =
      query.status === undefined
        ? await this.#query<TicketRow>(`SELECT ${TICKET_COLUMNS} FROM tickets ORDER BY updated_at DESC, number LIMIT $1`, [Math.floor(query.limit)])
        : await this.#query<TicketRow>(`SELECT ${TICKET_COLUMNS} FROM tickets WHERE status = $1 ORDER BY updated_at DESC, number LIMIT $2`, [
            query.status,
            Math.floor(query.limit),
          ]);
    return rows.map((r) => {
      const { context: _context, ...item } = toTicketItem(r);
      return item;
    });
  }

  async addTicketMessage(number: string, message: TicketMessage, status?: TicketStatus): Promise<TicketRecord | null> {
    return this.#tx(async (client) => {
      // The UPDATE locks the ticket row, so concurrent messages get distinct numbers n.
      const { rows } = await client.query<{ message_count: number }>(
        'UPDATE tickets SET message_count = message_count + 1, updated_at = GREATEST(updated_at, $2), status = COALESCE($3, status) WHERE number = $1 RETURNING message_count',
        [number, message.at, status ?? null],
      );
      if (!rows[0]) return null;
      await client.query('INSERT INTO ticket_messages (number, n, body) VALUES ($1, $2, $3)', [number, rows[0].message_count, JSON.stringify(message)]);
      return this.#ticket(client, number);
    });
  }

  async setTicketStatus(number: string, status: TicketStatus, at: number): Promise<TicketRecord | null> {
    const rows = await this.#query('UPDATE tickets SET status = $2, updated_at = GREATEST(updated_at, $3) WHERE number = $1 RETURNING number', [number, status, at]);
    return rows.length === 0 ? null : this.getTicket(number);
  }

  async upsertAgent(agent: AgentRecord): Promise<void> {
    try {
      await this.#query(
        `INSERT INTO agents (id, username, name, password_hash) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET username = EXCLUDED.username, name = EXCLUDED.name, password_hash = EXCLUDED.password_hash`,
        [agent.id, agent.username, agent.name, agent.passwordHash],
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw new Error(`username ${agent.username} is taken`);
      throw error;
    }
  }

  async findAgentByUsername(username: string): Promise<AgentRecord | null> {
    const [row] = await this.#query<AgentRow>('SELECT id, username, name, password_hash FROM agents WHERE username = $1', [username]);
    return row ? toAgent(row) : null;
  }

  async findAgentById(id: string): Promise<AgentRecord | null> {
    const [row] = await this.#query<AgentRow>('SELECT id, username, name, password_hash FROM agents WHERE id = $1', [id]);
    return row ? toAgent(row) : null;
  }

  async exportVisitor(visitorId: string): Promise<VisitorData | null> {
    // REPEATABLE READ: every query below sees the same snapshot, so the export is consistent
    // even while the visitor keeps writing.
    return this.#tx(async (client) => {
      await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const visitor = await client.query<{ id: string; created_at: string }>('SELECT id, created_at FROM visitors WHERE id = $1', [
        visitorId,
      ]);
      const rows = await client.query<ConversationRow>(
        `SELECT ${CONVERSATION_COLUMNS} FROM conversations WHERE visitor_id = $1 ORDER BY created_at, row_no`,
        [visitorId],
      );
      if (!visitor.rows[0] && rows.rows.length === 0) return null;
      const events = await client.query<EventRow & { conversation_id: string }>(
        `SELECT conversation_id, seq, at, body FROM events
         WHERE conversation_id IN (SELECT id FROM conversations WHERE visitor_id = $1) ORDER BY conversation_id, seq`,
        [visitorId],
      );
      const byConversation = new Map<string, ConversationEvent[]>();
      for (const row of events.rows) {
        let list = byConversation.get(row.conversation_id);
        if (!list) byConversation.set(row.conversation_id, (list = []));
        list.push(toEvent(row));
      }
      const conversations = rows.rows.map((row) => ({ ...toConversation(row), events: byConversation.get(row.id) ?? [] }));
      const numbers = await client.query<{ number: string }>(
        'SELECT number FROM tickets WHERE conversation_id IN (SELECT id FROM conversations WHERE visitor_id = $1) ORDER BY created_at, number',
        [visitorId],
      );
      const tickets: TicketRecord[] = [];
      for (const { number } of numbers.rows) {
        const ticket = await this.#ticket(client, number);
        if (ticket) tickets.push(ticket);
      }
      const first = visitor.rows[0];
      return {
        visitor: { id: visitorId, createdAt: first ? num(first.created_at) : Math.min(...conversations.map((c) => c.createdAt)) },
        conversations,
        tickets,
      };
    });
  }

  async deleteVisitor(visitorId: string): Promise<VisitorDeletion> {
    return this.#tx(async (client) => {
      // Lock the visitor's conversations first: an append in flight on another relay holds
      // the row lock, so the erase waits for it and then removes that event too.
      const locked = await client.query<{ id: string }>('SELECT id FROM conversations WHERE visitor_id = $1 FOR UPDATE', [visitorId]);
      const ids = locked.rows.map((r) => r.id);
      // The tickets made from them go too (their threads by ON DELETE CASCADE).
      const tickets = ids.length > 0 ? await client.query<{ number: string }>('DELETE FROM tickets WHERE conversation_id = ANY($1::text[]) RETURNING number', [ids]) : null;
      const events = ids.length > 0 ? await client.query('DELETE FROM events WHERE conversation_id = ANY($1::text[])', [ids]) : null;
      if (ids.length > 0) await client.query('DELETE FROM conversations WHERE id = ANY($1::text[])', [ids]);
      const visitor = await client.query('DELETE FROM visitors WHERE id = $1', [visitorId]);
      return {
        visitor: (visitor.rowCount ?? 0) > 0,
        conversationIds: ids,
        events: events?.rowCount ?? 0,
        ticketNumbers: (tickets?.rows ?? []).map((r) => r.number).sort(),
      };
    });
  }

  async createAgentSession(session: AgentSessionRecord): Promise<void> {
    await this.#query(
      `INSERT INTO agent_sessions (token_hash, agent_id, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (token_hash) DO UPDATE SET agent_id = EXCLUDED.agent_id, expires_at = EXCLUDED.expires_at`,
      [session.tokenHash, session.agentId, session.expiresAt],
    );
  }

  async findAgentSession(tokenHash: string, now: number): Promise<AgentSessionRecord | null> {
    const [row] = await this.#query<{ token_hash: string; agent_id: string; expires_at: string }>(
      'SELECT token_hash, agent_id, expires_at FROM agent_sessions WHERE token_hash = $1',
      [tokenHash],
    );
    if (!row) return null;
    if (num(row.expires_at) <= now) {
      // Expired sessions are removed when met, so the table does not grow with dead tokens.
      await this.#query('DELETE FROM agent_sessions WHERE token_hash = $1', [tokenHash]);
      return null;
    }
    return { tokenHash: row.token_hash, agentId: row.agent_id, expiresAt: num(row.expires_at) };
  }

  async deleteAgentSession(tokenHash: string): Promise<void> {
    await this.#query('DELETE FROM agent_sessions WHERE token_hash = $1', [tokenHash]);
  }

  /** Close the pool (idempotent); waits for queries in flight. The data stays. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }
}

interface AgentRow {
  id: string;
  username: string;
  name: string;
  password_hash: string;
}

const toAgent = (r: AgentRow): AgentRecord => ({ id: r.id, username: r.username, name: r.name, passwordHash: r.password_hash });
