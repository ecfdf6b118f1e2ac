/**
 * The SQLite schema, as numbered migrations. {@link SqliteStore} applies the ones not yet in
 * `schema_migrations` when it opens a database, each in its own transaction, so opening is
 * idempotent and an old file is brought up to date.
 *
 * Rules: never edit or renumber a migration that has shipped; add a new one.
 *
 * @example
 * SQLITE_MIGRATIONS.at(-1)?.version; // the schema version a fresh database gets
 */
export interface SqlMigration {
  /** 1, 2, 3... in order; recorded in `schema_migrations`. */
  version: number;
  /** Short description, also recorded. */
  name: string;
  /** One or more statements, run together in one transaction. */
  sql: string;
}

export const SQLITE_MIGRATIONS: readonly SqlMigration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE visitors (
        id TEXT PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL
      );

      -- visitor_id has no foreign key: the Store contract lets a conversation name a visitor
      -- record kept elsewhere (and the conformance suite does).
      CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        visitor_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('bot', 'waiting', 'active', 'closed')),
        lang TEXT,
        context TEXT, -- VisitorContext as JSON text
        agent_id TEXT,
        agent_name TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        last_seq INTEGER NOT NULL DEFAULT 0,
        preview TEXT
      );
      CREATE INDEX conversations_by_visitor ON conversations (visitor_id, created_at);
      CREATE INDEX conversations_by_status ON conversations (status, updated_at, created_at);

      -- The primary key makes seq unique per conversation and the UNIQUE makes clientId
      -- idempotency hold even if the application check were bypassed (NULL client ids are
      -- distinct, so events without one never collide).
      CREATE TABLE events (
        conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL CHECK (seq > 0),
        at INTEGER NOT NULL,
        client_id TEXT,
        body TEXT NOT NULL, -- the event without seq and at, as JSON
        PRIMARY KEY (conversation_id, seq),
        UNIQUE (conversation_id, client_id)
      ) WITHOUT ROWID;

      CREATE TABLE agents (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        password_hash TEXT NOT NULL
      );

      CREATE TABLE agent_sessions (
        token_hash TEXT PRIMARY KEY,
        agent_id TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX agent_sessions_by_expiry ON agent_sessions (expires_at);
    `,
  },
  {
    version: 2,
    name: 'desk fields and tickets',
    sql: `
      -- The desk fields (topic, team, priority, waitingSince, user, verified, email, rating,
      -- ticket) as one JSON object: they are read and written with the conversation, never
      -- searched on, and new ones need no migration.
      ALTER TABLE conversations ADD COLUMN desk TEXT;

      CREATE TABLE tickets (
        number TEXT PRIMARY KEY,
        status TEXT NOT NULL CHECK (status IN ('open', 'pending', 'solved', 'closed')),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        message_count INTEGER NOT NULL DEFAULT 0,
        data TEXT NOT NULL -- subject, topic, lang, email, conversationId, context as JSON
      );
      CREATE INDEX tickets_by_update ON tickets (updated_at);
      CREATE INDEX tickets_by_status ON tickets (status, updated_at);

      CREATE TABLE ticket_messages (
        number TEXT NOT NULL REFERENCES tickets (number) ON DELETE CASCADE,
        n INTEGER NOT NULL,
        body TEXT NOT NULL, -- TicketMessage as JSON
        PRIMARY KEY (number, n)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    name: 'tickets by conversation',
    sql: `
      -- Exporting or erasing a visitor finds the tickets made from their conversations.
      ALTER TABLE tickets ADD COLUMN conversation_id TEXT;
      UPDATE tickets SET conversation_id = json_extract(data, '$.conversationId');
      CREATE INDEX tickets_by_conversation ON tickets (conversation_id) WHERE conversation_id IS NOT NULL;
    `,
  },
];
