/** Where the relay keeps visitors, conversations, events, agents and sessions. */
export { MemoryStore } from './memory.js';
export { SqliteStore, DEFAULT_SQLITE_PATH } from './sqlite.js';
export type { SqliteStoreOptions } from './sqlite.js';
export { PostgresStore } from './postgres.js';
export type { PostgresStoreOptions } from './postgres.js';
export { SQLITE_MIGRATIONS } from './migrations/sqlite.js';
export { POSTGRES_MIGRATIONS } from './migrations/postgres.js';
export type { SqlMigration } from './migrations/sqlite.js';
export { previewOf, PREVIEW_CHARS } from './types.js';
export type {
  Store,
  VisitorRecord,
  ConversationRecord,
  NewConversation,
  AgentRecord,
  AgentSessionRecord,
  AppendOptions,
  AppendResult,
  StatusTransition,
  TransitionResult,
  VisitorData,
  VisitorDeletion,
  ConversationWithEvents,
  TransitionResultBase,
  DeskFields,
  UpdateGuard,
  TicketRecord,
  TicketListItem,
} from './types.js';
