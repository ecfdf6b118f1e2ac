import type { SqlMigration } from './sqlite.js';

/**
 * The PostgreSQL schema, as numbered migrations (the same tables as {@link SQLITE_MIGRATIONS},
 * in PostgreSQL types). {@link PostgresStore} applies the missing ones on open, under an
 * advisory lock so two relays starting together do not both migrate.
 *
 * Rules: never edit or renumber a migration that has shipped; add a new one.
 *
 * @example
 * POSTGRES_MIGRATIONS.length; // the schema version a fresh database gets
 */
export const POSTGRES_MIGRATIONS: readonly SqlMigration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE visitors (
        id TEXT PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        created_at BIGINT NOT NULL
      );

      -- visitor_id has no foreign key: the Store contract lets a conversation name a visitor
      -- record kept elsewhere. row_no breaks ties between equal timestamps in creation order.
      CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        row_no BIGINT GENERATED ALWAYS AS IDENTITY,
        visitor_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('bot', 'waiting', 'active', 'closed')),
        lang TEXT,
        context JSONB,
        agent_id TEXT,
        agent_name TEXT,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        last_seq INTEGER NOT NULL DEFAULT 0,
        preview TEXT
      );
      CREATE INDEX conversations_by_visitor ON conversations (visitor_id, created_at);
      CREATE INDEX conversations_by_status ON conversations (status, updated_at, created_at);

      -- The primary key makes seq unique per conversation; the UNIQUE backs clientId
      -- idempotency across relays (NULL client ids are distinct, so they never collide).
      CREATE TABLE events (
        conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL CHECK (seq > 0),
        at BIGINT NOT NULL,
        client_id TEXT,
        body JSONB NOT NULL, -- the event without seq and at
        PRIMARY KEY (conversation_id, seq),
        UNIQUE (conversation_id, client_id)
      );

      CREATE TABLE agents (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        password_hash TEXT NOT NULL
      );

      CREATE TABLE agent_sessions (
        token_hash TEXT PRIMARY KEY,
        agent_id TEXT NOT NULL,
        expires_at BIGINT NOT NULL
      );
      CREATE INDEX agent_sessions_by_expiry ON agent_sessions (expires_at);
    `,
  },
  {
    version: 2,
    name: 'desk fields and tickets',
    sql: `
      -- The desk fields (topic, team, priority, waitingSince, user, verified, email, rating,
      -- ticket) as one JSON object: read and written with the conversation, never searched on.
      ALTER TABLE conversations ADD COLUMN desk JSONB;

      CREATE TABLE tickets (
        number TEXT PRIMARY KEY,
        status TEXT NOT NULL CHECK (status IN ('open', 'pending', 'solved', 'closed')),
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        message_count INTEGER NOT NULL DEFAULT 0,
        data JSONB NOT NULL -- subject, topic, lang, email, conversationId, context
      );
      CREATE INDEX tickets_by_update ON tickets (updated_at);
      CREATE INDEX tickets_by_status ON tickets (status, updated_at);

      CREATE TABLE ticket_messages (
        number TEXT NOT NULL REFERENCES tickets (number) ON DELETE CASCADE,
        n INTEGER NOT NULL,
        body JSONB NOT NULL, -- TicketMessage
        PRIMARY KEY (number, n)
      );
    `,
  },
  {
    version: 3,
    name: 'tickets by conversation',
    sql: `
      -- Exporting or erasing a visitor finds the tickets made from their conversations.
      ALTER TABLE tickets ADD COLUMN conversation_id TEXT;
      UPDATE tickets SET conversation_id = data->>'conversationId';
      CREATE INDEX tickets_by_conversation ON tickets (conversation_id) WHERE conversation_id IS NOT NULL;
    `,
  },
];
