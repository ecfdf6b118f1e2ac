/**
 * SqliteStore: the embedded default {@link Store}, one SQLite file.
 *
 * Driver: `libsql` (Turso's better-sqlite3-compatible synchronous binding), chosen on numbers
 * measured on the development machine (2 vCPU, Node 20.20, npm 11, empty npm cache each):
 *
 * | driver                  | fresh install | 5000 appends, WAL + NORMAL (tx each) | same, FULL   |
 * | ----------------------- | ------------- | ------------------------------------ | ------------ |
 * | better-sqlite3 12.11    | 59 s (*)      | 150-245 ms (20-34k/s)                | 2.8-5.3 s    |
 * | libsql 0.5.29           | 1.3 s         | 190-470 ms (10-26k/s)                | 3.0-3.2 s    |
 * | @libsql/client 0.18     | 2.1 s         | 530-950 ms (5-9k/s)                  | 1.5-4.0 s    |
 *
 * (*) better-sqlite3 downloads its prebuilt binary from GitHub releases; where GitHub is not
 * reachable (this machine, and many company networks that only mirror the npm registry) it
 * compiles SQLite from source, which also needs python3, make and a C++ compiler. libsql
 * ships its binaries as npm packages, so it installs wherever npm does.
 * The benchmark: 20 conversations, each append one BEGIN IMMEDIATE transaction doing what
 * {@link SqliteStore.appendEvent} does (read the conversation, check the clientId, insert the
 * event, update the conversation); numbers are noisy (shared machine), ranges over runs.
 * This store itself, on libsql: 3000 appends in about 190 ms (16k/s) with NORMAL, 500-550 ms
 * (5-6k/s) with FULL; PostgresStore on the same machine: 1.2k/s sequential, 2.8k/s concurrent.
 *
 * Why libsql: it installs in about a second from the registry alone; its API is synchronous,
 * so an append's read-check-insert-update runs inside one call with no other JavaScript in
 * between (no in-process lock needed, and no async transaction spread over pooled
 * connections as with @libsql/client); and at 10k+ durable appends a second it is far above
 * what a support desk writes. better-sqlite3 is about twice as fast and more mature; its API
 * is the same, so switching is a one-line import change if that ever matters (libsql is
 * still 0.x; the conformance suite is what guards us against a driver regression).
 *
 * Durability: journal_mode=WAL with synchronous=NORMAL. An append is acknowledged only after
 * its COMMIT has written the transaction to the WAL file through the OS, so it survives the
 * relay process being killed (SIGKILL, crash, OOM): the kernel still writes the page cache.
 * What NORMAL gives up, compared with FULL, is an fsync per commit, so the last transactions
 * can be lost if the whole machine loses power; the database is never corrupted either way.
 * FULL measured 3-20x slower here (the disk decides). Pass `synchronous: 'FULL'` to trade
 * speed for power-loss durability.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'libsql';
import type { ConversationEvent, ConversationStatus, EventDraft, StatusEvent, TicketMessage, TicketStatus } from '@parley/protocol';
import { SQLITE_MIGRATIONS, type SqlMigration } from './migrations/sqlite.js';
import { DEFAULT_RESTART_FRAMES, startCheckpointer, type Checkpointer } from './sqlite-checkpointer.js';
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

/** Where {@link SqliteStore} keeps its file unless told otherwise (relative to the working directory). */
export const DEFAULT_SQLITE_PATH = 'data/parley.sqlite';

/** Options for {@link SqliteStore}. */
export interface SqliteStoreOptions {
  /**
   * The database file; its folder is created if missing. `':memory:'` for a throwaway
   * database (tests).
   * @default DEFAULT_SQLITE_PATH ('data/parley.sqlite')
   */
  path?: string;
  /**
   * How long a write waits for another process holding the write lock before failing (ms).
   * @default 5000
   */
  busyTimeoutMs?: number;
  /**
   * `NORMAL`: an acked write survives a process crash, not a power loss (fast).
   * `FULL`: fsync on every commit, survives power loss too. See the file comment.
   * @default 'NORMAL'
   */
  synchronous?: 'NORMAL' | 'FULL';
  /** The migrations to apply (tests pass a longer list). @default SQLITE_MIGRATIONS */
  migrations?: readonly SqlMigration[];
  /**
   * Who copies the write-ahead log into the database file. `background`: a worker thread,
   * so no append waits for it (see sqlite-checkpointer.ts); an object tunes it. `inline`:
   * SQLite's automatic checkpoint, run by the append that fills the WAL. Not used for
   * `:memory:`.
   * @default 'background'
   */
  checkpoint?: 'background' | 'inline' | { everyMs?: number; restartFrames?: number };
}

/**
 * The size SQLite trims the WAL file back to when it starts it over, in bytes: the size the
 * checkpoint worker lets it reach (DEFAULT_RESTART_FRAMES pages of 4 KiB, 256 MiB), so a
 * restart does not also free a large file's blocks while the relay waits.
 */
const WAL_SIZE_LIMIT = DEFAULT_RESTART_FRAMES * 4096;

type Db = InstanceType<typeof Database>;

interface ConversationRow {
  id: string;
  visitor_id: string;
  status: ConversationStatus;
  lang: string | null;
  context: string | null;
  agent_id: string | null;
  agent_name: string | null;
  created_at: number;
  updated_at: number;
  last_seq: number;
  preview: string | null;
  desk: string | null;
}

interface EventRow {
  seq: number;
  at: number;
  body: string;
}

const CONVERSATION_COLUMNS =
  'id, visitor_id, status, lang, context, agent_id, agent_name, created_at, updated_at, last_seq, preview, desk';

function toConversation(row: ConversationRow): ConversationRecord {
  return {
    id: row.id,
    visitorId: row.visitor_id,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastSeq: row.last_seq,
    ...(row.lang !== null ? { lang: row.lang } : {}),
    ...(row.context !== null ? { context: JSON.parse(row.context) } : {}),
    ...(row.agent_id !== null ? { agent: { id: row.agent_id, name: row.agent_name ?? '' } } : {}),
    ...(row.preview !== null ? { preview: row.preview } : {}),
    ...(row.desk !== null ? JSON.parse(row.desk) : {}),
  };
}

interface TicketRow {
  number: string;
  status: TicketStatus;
  created_at: number;
  updated_at: number;
  message_count: number;
  data: string;
}

function toTicketItem(row: TicketRow): TicketListItem & { context?: TicketRecord['context'] } {
  return { number: row.number, status: row.status, createdAt: row.created_at, updatedAt: row.updated_at, messageCount: row.message_count, ...JSON.parse(row.data) };
}

// The body holds the event without seq and at, which live in their own columns; putting
// them last gives the same key order as MemoryStore's `{ ...draft, seq, at }`.
const toEvent = (row: EventRow): ConversationEvent => ({ ...JSON.parse(row.body), seq: row.seq, at: row.at });

// The value a PRAGMA returns (its single column). libsql's own `pragma(.., { simple: true })`
// returns the whole row, so this does not rely on it.
function pragmaValue(db: Db, source: string): unknown {
  const row = db.prepare(`PRAGMA ${source}`).get() as Record<string, unknown> | undefined;
  return row ? Object.values(row)[0] : undefined;
}

const isUniqueViolation = (error: unknown): boolean =>
  error instanceof Error && /UNIQUE constraint failed|SQLITE_CONSTRAINT/.test(`${(error as { code?: string }).code ?? ''} ${error.message}`);

/**
 * Apply the migrations a database has not seen yet, each in its own transaction together
 * with its row in `schema_migrations`. Returns the versions applied now (empty when the
 * schema was already current). Refuses a database migrated by a newer relay.
 */
function migrate(db: Db, migrations: readonly SqlMigration[]): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version),
  );
  const known = new Set(migrations.map((m) => m.version));
  const unknown = [...applied].filter((v) => !known.has(v));
  if (unknown.length > 0) {
    throw new Error(`database has schema migrations ${unknown.join(', ')} that this relay does not know; upgrade the relay`);
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const done: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue;
    // IMMEDIATE takes the write lock first, so two processes opening the same new file
    // migrate one after the other; the second then finds the row and the INSERT below
    // fails rather than running the DDL twice.
    db.transaction(() => {
      const again = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(migration.version);
      if (again) return;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, Date.now());
      done.push(migration.version);
    }).immediate();
  }
  return done;
}

// Prepared once per store: SQLite compiles each statement a single time.
function prepareStatements(db: Db) {
  return {
    insertVisitor: db.prepare('INSERT INTO visitors (id, token_hash, created_at) VALUES (?, ?, ?)'),
    visitorByToken: db.prepare('SELECT id, token_hash, created_at FROM visitors WHERE token_hash = ?'),
    insertConversation: db.prepare(
      'INSERT INTO conversations (id, visitor_id, status, lang, context, created_at, updated_at, desk) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    setDesk: db.prepare(`UPDATE conversations SET lang = ?, agent_id = ?, agent_name = ?, desk = ? WHERE id = ? RETURNING ${CONVERSATION_COLUMNS}`),
    insertTicket: db.prepare('INSERT INTO tickets (number, status, created_at, updated_at, message_count, data, conversation_id) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    ticket: db.prepare('SELECT number, status, created_at, updated_at, message_count, data FROM tickets WHERE number = ?'),
    ticketMessages: db.prepare('SELECT body FROM ticket_messages WHERE number = ? ORDER BY n'),
    insertTicketMessage: db.prepare('INSERT INTO ticket_messages (number, n, body) VALUES (?, ?, ?)'),
    ticketAfterMessage: db.prepare(
      'UPDATE tickets SET message_count = message_count + 1, updated_at = max(updated_at, ?), status = coalesce(?, status) WHERE number = ? RETURNING message_count',
    ),
    ticketStatus: db.prepare('UPDATE tickets SET status = ?, updated_at = max(updated_at, ?) WHERE number = ?'),
    conversation: db.prepare(`SELECT ${CONVERSATION_COLUMNS} FROM conversations WHERE id = ?`),
    // rowid breaks ties between equal timestamps: the later created wins, as in MemoryStore.
    openConversation: db.prepare(
      `SELECT ${CONVERSATION_COLUMNS} FROM conversations WHERE visitor_id = ? AND status <> 'closed'
       ORDER BY created_at DESC, rowid DESC LIMIT 1`,
    ),
    eventByClientId: db.prepare('SELECT seq, at, body FROM events WHERE conversation_id = ? AND client_id = ?'),
    insertEvent: db.prepare('INSERT INTO events (conversation_id, seq, at, client_id, body) VALUES (?, ?, ?, ?, ?)'),
    afterAppend: db.prepare(
      `UPDATE conversations SET last_seq = ?, updated_at = max(updated_at, ?), preview = coalesce(?, preview)
       WHERE id = ? RETURNING ${CONVERSATION_COLUMNS}`,
    ),
    afterTransition: db.prepare(
      `UPDATE conversations SET status = ?, agent_id = coalesce(?, agent_id), agent_name = coalesce(?, agent_name),
         last_seq = ?, updated_at = max(updated_at, ?)
       WHERE id = ? RETURNING ${CONVERSATION_COLUMNS}`,
    ),
    eventsAfter: db.prepare('SELECT seq, at, body FROM events WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?'),
    upsertAgent: db.prepare(
      `INSERT INTO agents (id, username, name, password_hash) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET username = excluded.username, name = excluded.name, password_hash = excluded.password_hash`,
    ),
    agentByUsername: db.prepare('SELECT id, username, name, password_hash FROM agents WHERE username = ?'),
    agentById: db.prepare('SELECT id, username, name, password_hash FROM agents WHERE id = ?'),
    insertSession: db.prepare(
      `INSERT INTO agent_sessions (token_hash, agent_id, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (token_hash) DO UPDATE SET agent_id = excluded.agent_id, expires_at = excluded.expires_at`,
    ),
    session: db.prepare('SELECT token_hash, agent_id, expires_at FROM agent_sessions WHERE token_hash = ?'),
    deleteSession: db.prepare('DELETE FROM agent_sessions WHERE token_hash = ?'),
    visitorById: db.prepare('SELECT id, created_at FROM visitors WHERE id = ?'),
    visitorConversations: db.prepare(
      `SELECT ${CONVERSATION_COLUMNS} FROM conversations WHERE visitor_id = ? ORDER BY created_at, rowid`,
    ),
    allEvents: db.prepare('SELECT seq, at, body FROM events WHERE conversation_id = ? ORDER BY seq'),
    deleteVisitorEvents: db.prepare('DELETE FROM events WHERE conversation_id IN (SELECT id FROM conversations WHERE visitor_id = ?)'),
    deleteVisitorConversations: db.prepare('DELETE FROM conversations WHERE visitor_id = ? RETURNING id'),
    deleteVisitor: db.prepare('DELETE FROM visitors WHERE id = ?'),
    visitorTickets: db.prepare(
      'SELECT number FROM tickets WHERE conversation_id IN (SELECT id FROM conversations WHERE visitor_id = ?) ORDER BY created_at, number',
    ),
    deleteTicketMessages: db.prepare('DELETE FROM ticket_messages WHERE number = ?'),
    deleteTicket: db.prepare('DELETE FROM tickets WHERE number = ?'),
  };
}

/**
 * The {@link Store} on a SQLite file: the relay's default, nothing to run beside it.
 * Opening creates the file (and its folder), switches on WAL, and applies schema migrations.
 * Several relay processes may share one file on one machine (writes take turns, waiting up
 * to `busyTimeoutMs`), but the driver is synchronous, so that wait blocks the waiting
 * process's event loop: run one relay per file, and use {@link PostgresStore} for several.
 *
 * @example
 * const store = new SqliteStore({ path: './data/parley.sqlite' });
 * const relay = await createRelay({ store });
 * // ...
 * await store.close();
 */
export class SqliteStore implements Store {
  readonly #db: Db;
  readonly #appliedMigrations: readonly number[];
  readonly #stmt: ReturnType<typeof prepareStatements>;
  readonly #append: (conversationId: string, draft: EventDraft, options: AppendOptions) => AppendResult;
  readonly #transition: (conversationId: string, change: StatusTransition) => TransitionResult;
  readonly #exportVisitor: (visitorId: string) => VisitorData | null;
  readonly #deleteVisitor: (visitorId: string) => VisitorDeletion;
  readonly #update: (conversationId: string, set: DeskFields, guard: UpdateGuard) => TransitionResultBase;
  #closed = false;
  #checkpointer: Checkpointer | null = null;

  constructor(options: SqliteStoreOptions = {}) {
    const path = options.path ?? DEFAULT_SQLITE_PATH;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.#db = new Database(path);
    try {
      // busy_timeout first: the pragmas below and the migrations may already need to wait.
      this.#db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
      const mode = String(pragmaValue(this.#db, 'journal_mode = WAL')).toLowerCase();
      // An in-memory database has no WAL ('memory'); a file that refuses WAL would silently
      // lose the durability this store promises, so that is an error.
      if (path !== ':memory:' && mode !== 'wal') throw new Error(`SQLite refused WAL mode (journal_mode=${mode})`);
      this.#db.exec(`PRAGMA synchronous = ${options.synchronous === 'FULL' ? 'FULL' : 'NORMAL'}`);
      this.#db.exec('PRAGMA foreign_keys = ON');
      this.#appliedMigrations = migrate(this.#db, options.migrations ?? SQLITE_MIGRATIONS);
      this.#stmt = prepareStatements(this.#db);
    } catch (error) {
      this.#db.close();
      throw error;
    }
    // IMMEDIATE: take the write lock at BEGIN, so two processes on one file never both read
    // the same last_seq (a DEFERRED transaction would upgrade later and could deadlock).
    // Within this process the functions are synchronous, so nothing interleaves with them.
    this.#append = this.#db.transaction(this.#appendNow.bind(this)).immediate;
    this.#transition = this.#db.transaction(this.#transitionNow.bind(this)).immediate;
    // DEFERRED is enough for the export: one read transaction is one consistent snapshot.
    this.#exportVisitor = this.#db.transaction(this.#exportVisitorNow.bind(this)).deferred;
    this.#deleteVisitor = this.#db.transaction(this.#deleteVisitorNow.bind(this)).immediate;
    this.#update = this.#db.transaction(this.#updateNow.bind(this)).immediate;
    const checkpoint = options.checkpoint ?? 'background';
    if (path !== ':memory:' && checkpoint !== 'inline') this.#checkpointInBackground(path, options, checkpoint === 'background' ? {} : checkpoint);
  }

  #checkpointInBackground(path: string, options: SqliteStoreOptions, tuning: { everyMs?: number; restartFrames?: number }): void {
    let checkpointer: Checkpointer;
    try {
      checkpointer = startCheckpointer({
        path,
        synchronous: options.synchronous ?? 'NORMAL',
        busyTimeoutMs: Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000)),
        everyMs: tuning.everyMs,
        restartFrames: tuning.restartFrames,
      });
    } catch {
      // No worker (the driver cannot be found from here): SQLite keeps checkpointing itself.
      return;
    }
    this.#db.exec(`PRAGMA journal_size_limit = ${WAL_SIZE_LIMIT}`);
    // Off at once rather than when the worker is ready: if it never is, onFailure turns it
    // back on, and a WAL left a little longer meanwhile costs nothing.
    this.#db.exec('PRAGMA wal_autocheckpoint = 0');
    checkpointer.onFailure = () => {
      this.#checkpointer = null;
      if (!this.#closed) this.#db.exec('PRAGMA wal_autocheckpoint = 1000');
    };
    this.#checkpointer = checkpointer;
  }

  /**
   * Who checkpoints now: `background` while the worker runs, `inline` when SQLite's own
   * automatic checkpoint does (by choice, for `:memory:`, or after the worker failed).
   */
  get checkpointing(): 'background' | 'inline' {
    return this.#checkpointer ? 'background' : 'inline';
  }

  /** Migration versions this open applied (empty if the file was already up to date). */
  get appliedMigrations(): readonly number[] {
    return this.#appliedMigrations;
  }

  /** A PRAGMA's current value, e.g. `pragma('journal_mode')` (for diagnostics and tests). */
  pragma(name: 'journal_mode' | 'synchronous' | 'foreign_keys' | 'busy_timeout' | 'wal_autocheckpoint' | 'journal_size_limit'): unknown {
    return pragmaValue(this.#db, name);
  }

  #open(): void {
    if (this.#closed) throw new Error('SqliteStore is closed');
  }

  async createVisitor(visitor: VisitorRecord): Promise<void> {
    this.#open();
    try {
      this.#stmt.insertVisitor.run(visitor.id, visitor.tokenHash, visitor.createdAt);
    } catch (error) {
      if (isUniqueViolation(error)) throw new Error(`visitor ${visitor.id} already exists (or its token hash is in use)`);
      throw error;
    }
  }

  async findVisitorByTokenHash(tokenHash: string): Promise<VisitorRecord | null> {
    this.#open();
    const row = this.#stmt.visitorByToken.get(tokenHash) as { id: string; token_hash: string; created_at: number } | undefined;
    return row ? { id: row.id, tokenHash: row.token_hash, createdAt: row.created_at } : null;
  }

  async createConversation(input: NewConversation): Promise<ConversationRecord> {
    this.#open();
    try {
      this.#stmt.insertConversation.run(
        input.id,
        input.visitorId,
        'bot',
        input.lang ?? null,
        input.context !== undefined ? JSON.stringify(input.context) : null,
        input.at,
        input.at,
        deskJson(input),
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw new Error(`conversation ${input.id} already exists`);
      throw error;
    }
    return this.#conversation(input.id)!;
  }

  #conversation(id: string): ConversationRecord | null {
    const row = this.#stmt.conversation.get(id) as ConversationRow | undefined;
    return row ? toConversation(row) : null;
  }

  async getConversation(id: string): Promise<ConversationRecord | null> {
    this.#open();
    return this.#conversation(id);
  }

  async findOpenConversation(visitorId: string): Promise<ConversationRecord | null> {
    this.#open();
    const row = this.#stmt.openConversation.get(visitorId) as ConversationRow | undefined;
    return row ? toConversation(row) : null;
  }

  async listConversations(statuses: readonly ConversationStatus[], limit: number): Promise<ConversationRecord[]> {
    this.#open();
    if (statuses.length === 0 || limit <= 0) return [];
    // One placeholder per status; statuses is a short list of known words, never text from outside.
    const rows = this.#db
      .prepare(
        `SELECT ${CONVERSATION_COLUMNS} FROM conversations WHERE status IN (${statuses.map(() => '?').join(', ')})
         ORDER BY updated_at, created_at, rowid LIMIT ?`,
      )
      .all(...statuses, Math.floor(limit)) as ConversationRow[];
    return rows.map(toConversation);
  }

  async appendEvent(conversationId: string, draft: EventDraft, options: AppendOptions): Promise<AppendResult> {
    this.#open();
    return this.#append(conversationId, draft, options);
  }

  // Runs inside a BEGIN IMMEDIATE transaction (see the constructor).
  #appendNow(conversationId: string, draft: EventDraft, options: AppendOptions): AppendResult {
    const current = this.#conversation(conversationId);
    if (!current) return { ok: false, reason: 'not_found' };
    if (options.visitorId !== undefined && current.visitorId !== options.visitorId) return { ok: false, reason: 'forbidden' };
    const clientId = draft.kind !== 'status' ? draft.clientId : undefined;
    if (clientId !== undefined) {
      const existing = this.#stmt.eventByClientId.get(conversationId, clientId) as EventRow | undefined;
      // Duplicate before status, as in MemoryStore: a resend of a message appended before the
      // conversation closed still gets its original ack.
      if (existing) return { ok: true, event: toEvent(existing), duplicate: true, conversation: current };
    }
    if (options.whenStatus && !options.whenStatus.includes(current.status)) {
      return { ok: false, reason: 'status', conversation: current };
    }
    const seq = current.lastSeq + 1;
    const body = JSON.stringify(draft);
    this.#stmt.insertEvent.run(conversationId, seq, options.at, clientId ?? null, body);
    const preview = draft.kind === 'message' ? previewOf(draft.text) : null;
    const row = this.#stmt.afterAppend.get(seq, options.at, preview, conversationId) as ConversationRow;
    // The event is read back from what was stored, so the caller gets exactly what a later
    // eventsAfter returns, and no object shared with its draft.
    return { ok: true, event: toEvent({ seq, at: options.at, body }), duplicate: false, conversation: toConversation(row) };
  }

  async eventsAfter(conversationId: string, afterSeq: number, limit: number): Promise<ConversationEvent[]> {
    this.#open();
    if (limit <= 0) return [];
    const rows = this.#stmt.eventsAfter.all(conversationId, Math.floor(afterSeq), Math.floor(limit)) as EventRow[];
    return rows.map(toEvent);
  }

  async transition(conversationId: string, change: StatusTransition): Promise<TransitionResult> {
    this.#open();
    return this.#transition(conversationId, change);
  }

  // Runs inside a BEGIN IMMEDIATE transaction: the status check, the update and the status
  // event commit together or not at all.
  #transitionNow(conversationId: string, change: StatusTransition): TransitionResult {
    const current = this.#conversation(conversationId);
    if (!current) return { ok: false, conversation: null };
    if (!change.from.includes(current.status)) return { ok: false, conversation: current };
    if (change.fromAgentId !== undefined && current.agent?.id !== change.fromAgentId) return { ok: false, conversation: current };
    const seq = current.lastSeq + 1;
    const body = JSON.stringify(statusDraft(change));
    this.#stmt.insertEvent.run(conversationId, seq, change.at, null, body);
    this.#stmt.afterTransition.get(change.to, change.agent?.id ?? null, change.agent?.name ?? null, seq, change.at, conversationId);
    // The desk fields and the agent (cleared on a way back to the queue) are computed here,
    // in the same transaction, with the rules MemoryStore applies.
    const next = this.#conversation(conversationId)!;
    if (!change.agent && (change.to === 'waiting' || change.to === 'bot')) delete next.agent;
    if (change.to === 'waiting' && next.waitingSince === undefined) next.waitingSince = change.at;
    if (change.set) applyFields(next, change.set);
    const row = this.#writeDesk(next);
    return { ok: true, conversation: toConversation(row), event: toEvent({ seq, at: change.at, body }) as StatusEvent };
  }

  #writeDesk(record: ConversationRecord): ConversationRow {
    return this.#stmt.setDesk.get(record.lang ?? null, record.agent?.id ?? null, record.agent?.name ?? null, deskJson(record), record.id) as ConversationRow;
  }

  async updateConversation(conversationId: string, set: DeskFields, guard: UpdateGuard = {}): Promise<TransitionResultBase> {
    this.#open();
    return this.#update(conversationId, set, guard);
  }

  #updateNow(conversationId: string, set: DeskFields, guard: UpdateGuard): TransitionResultBase {
    const current = this.#conversation(conversationId);
    if (!current) return { ok: false, conversation: null };
    if (guard.whenStatus && !guard.whenStatus.includes(current.status)) return { ok: false, conversation: current };
    if (guard.unrated && current.rating !== undefined) return { ok: false, conversation: current };
    applyFields(current, set);
    return { ok: true, conversation: toConversation(this.#writeDesk(current)) };
  }

  async createTicket(ticket: TicketRecord): Promise<void> {
    this.#open();
    const { number, status, createdAt, updatedAt, messages, ...data } = ticket;
    try {
      this.#db.transaction(() => {
        this.#stmt.insertTicket.run(number, status, createdAt, updatedAt, messages.length, JSON.stringify(data), data.conversationId ?? null);
        messages.forEach((m, i) => this.#stmt.insertTicketMessage.run(number, i + 1, JSON.stringify(m)));
      }).immediate();
    } catch (error) {
      if (isUniqueViolation(error)) throw new Error(`ticket ${number} already exists`);
      throw error;
    }
  }

  #ticket(number: string): TicketRecord | null {
    const row = this.#stmt.ticket.get(number) as TicketRow | undefined;
    if (!row) return null;
    const { messageCount: _count, ...item } = toTicketItem(row);
    const messages = (this.#stmt.ticketMessages.all(number) as { body: string }[]).map((r) => JSON.parse(r.body) as TicketMessage);
    return { ...item, messages };
  }

  async getTicket(number: string): Promise<TicketRecord | null> {
    this.#open();
    return this.#ticket(number);
  }

  async listTickets(query: { status?: TicketStatus; limit: number }): Promise<TicketListItem[]> {
    this.#open();
    if (query.limit <= 0) return [];
    const rows = (
      query.status === undefined
        ? this.#db.prepare('SELECT number, status, created_at, updated_at, message_count, data FROM tickets ORDER BY updated_at DESC, number LIMIT ?').all(Math.floor(query.limit))
        : this.#db
            .prepare('SELECT number, status, created_at, updated_at, message_count, data FROM tickets WHERE status = ? ORDER BY updated_at DESC, number LIMIT ?')
            .all(query.status, Math.floor(query.limit))
    ) as TicketRow[];
    return rows.map((r) => {
      const { context: _context, ...item } = toTicketItem(r);
      return item;
    });
  }

  async addTicketMessage(number: string, message: TicketMessage, status?: TicketStatus): Promise<TicketRecord | null> {
    this.#open();
    return this.#db.transaction(() => {
      const row = this.#stmt.ticketAfterMessage.get(message.at, status ?? null, number) as { message_count: number } | undefined;
      if (!row) return null;
      this.#stmt.insertTicketMessage.run(number, row.message_count, JSON.stringify(message));
      return this.#ticket(number);
    }).immediate();
  }

  async setTicketStatus(number: string, status: TicketStatus, at: number): Promise<TicketRecord | null> {
    this.#open();
    const result = this.#stmt.ticketStatus.run(status, at, number);
    return result.changes === 0 ? null : this.#ticket(number);
  }

  async upsertAgent(agent: AgentRecord): Promise<void> {
    this.#open();
    try {
      this.#stmt.upsertAgent.run(agent.id, agent.username, agent.name, agent.passwordHash);
    } catch (error) {
      if (isUniqueViolation(error)) throw new Error(`username ${agent.username} is taken`);
      throw error;
    }
  }

  async findAgentByUsername(username: string): Promise<AgentRecord | null> {
    this.#open();
    return toAgent(this.#stmt.agentByUsername.get(username));
  }

  async findAgentById(id: string): Promise<AgentRecord | null> {
    this.#open();
    return toAgent(this.#stmt.agentById.get(id));
  }

  async exportVisitor(visitorId: string): Promise<VisitorData | null> {
    this.#open();
    return this.#exportVisitor(visitorId);
  }

  #exportVisitorNow(visitorId: string): VisitorData | null {
    const visitor = this.#stmt.visitorById.get(visitorId) as { id: string; created_at: number } | undefined;
    const rows = this.#stmt.visitorConversations.all(visitorId) as ConversationRow[];
    if (!visitor && rows.length === 0) return null;
    const conversations = rows.map((row) => ({
      ...toConversation(row),
      events: (this.#stmt.allEvents.all(row.id) as EventRow[]).map(toEvent),
    }));
    const tickets = (this.#stmt.visitorTickets.all(visitorId) as { number: string }[]).flatMap((r) => this.#ticket(r.number) ?? []);
    return {
      visitor: { id: visitorId, createdAt: visitor?.created_at ?? Math.min(...conversations.map((c) => c.createdAt)) },
      conversations,
      tickets,
    };
  }

  async deleteVisitor(visitorId: string): Promise<VisitorDeletion> {
    this.#open();
    return this.#deleteVisitor(visitorId);
  }

  // One IMMEDIATE transaction: an append racing with the erase either lands before it (and
  // is erased) or finds the conversation gone.
  #deleteVisitorNow(visitorId: string): VisitorDeletion {
    // Tickets first: they are found through the conversations.
    const ticketNumbers = (this.#stmt.visitorTickets.all(visitorId) as { number: string }[]).map((r) => r.number);
    for (const n of ticketNumbers) {
      this.#stmt.deleteTicketMessages.run(n);
      this.#stmt.deleteTicket.run(n);
    }
    const events = this.#stmt.deleteVisitorEvents.run(visitorId).changes;
    const ids = (this.#stmt.deleteVisitorConversations.all(visitorId) as { id: string }[]).map((r) => r.id);
    const visitor = this.#stmt.deleteVisitor.run(visitorId).changes > 0;
    return { visitor, conversationIds: ids, events, ticketNumbers };
  }

  async createAgentSession(session: AgentSessionRecord): Promise<void> {
    this.#open();
    this.#stmt.insertSession.run(session.tokenHash, session.agentId, session.expiresAt);
  }

  async findAgentSession(tokenHash: string, now: number): Promise<AgentSessionRecord | null> {
    this.#open();
    const row = this.#stmt.session.get(tokenHash) as { token_hash: string; agent_id: string; expires_at: number } | undefined;
    if (!row) return null;
    if (row.expires_at <= now) {
      // Expired sessions are removed when met, so the table does not grow with dead tokens.
      this.#stmt.deleteSession.run(tokenHash);
      return null;
    }
    return { tokenHash: row.token_hash, agentId: row.agent_id, expiresAt: row.expires_at };
  }

  async deleteAgentSession(tokenHash: string): Promise<void> {
    this.#open();
    this.#stmt.deleteSession.run(tokenHash);
  }

  /** Close the file (idempotent). A WAL checkpoint runs on close, so the -wal file is folded in. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // The worker's connection goes first, so no checkpoint is running when the relay's closes.
    const checkpointer = this.#checkpointer;
    this.#checkpointer = null;
    await checkpointer?.close();
    this.#db.close();
  }
}

/** The desk fields of a record as the JSON kept in the `desk` column (null when none). */
function deskJson(record: Partial<ConversationRecord>): string | null {
  const desk = deskOf(record);
  return Object.keys(desk).length === 0 ? null : JSON.stringify(desk);
}

function toAgent(row: unknown): AgentRecord | null {
  if (!row) return null;
  const r = row as { id: string; username: string; name: string; password_hash: string };
  return { id: r.id, username: r.username, name: r.name, passwordHash: r.password_hash };
}
