import { expect, it } from 'vitest';
import * as api from './index.js';

// The public surface is explicit: adding or removing an export is a decision, not an accident.
it('exports exactly the documented runtime names', () => {
  expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
    [
      "AGENTS_TOPIC",
      "ConfigError",
      "ConversationService",
      "DEFAULT_GATEWAY_LIMITS",
      "DEFAULT_LIMITS",
      "DEFAULT_PRESENCE_TTL_MS",
      "DEFAULT_SQLITE_PATH",
      "DEFAULT_URGENT_PHRASES",
      "DEMO_AGENT",
      "Desk",
      "FaqBot",
      "InProcessBus",
      "KnowledgeBaseError",
      "LoginThrottle",
      "MemoryPresence",
      "MemoryStore",
      "POSTGRES_MIGRATIONS",
      "PostgresStore",
      "RedisBus",
      "RedisPresence",
      "RelayError",
      "SQLITE_MIGRATIONS",
      "SmtpMailer",
      "SqliteStore",
      "TicketService",
      "conversationTopic",
      "createRelay",
      "hashPassword",
      "hashToken",
      "isOpen",
      "loadConfig",
      "loadKnowledgeBase",
      "newTicketNumber",
      "newToken",
      "normaliseTicketNumber",
      "parseConfig",
      "parseKnowledgeBase",
      "previewOf",
      "queueOrder",
      "transcriptText",
      "usesDemoAgent",
      "verifyPassword",
      "withAgentDefaults",
    ]
  `);
});
