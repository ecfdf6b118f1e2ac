import { expect, it } from 'vitest';
import * as api from './index.js';

// The public surface is explicit: adding or removing an export is a decision, not an accident.
it('exports exactly the documented runtime names', () => {
  expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
    [
      "AGENTS_TOPIC",
      "BackendError",
      "ConfigError",
      "ConversationService",
      "DEFAULT_DATA_DIR",
      "DEFAULT_GATEWAY_LIMITS",
      "DEFAULT_LIMITS",
      "DEFAULT_PRESENCE_TTL_MS",
      "DEFAULT_SQLITE_PATH",
      "DEMO_AGENT",
      "DataRights",
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
      "SessionRegistry",
      "SqliteStore",
      "VISITORS_TOPIC",
      "VISITOR_EXPORT_FORMAT",
      "conversationTopic",
      "createRelay",
      "hashPassword",
      "hashToken",
      "loadConfig",
      "loadKnowledgeBase",
      "newToken",
      "openBackends",
      "parseConfig",
      "parseKnowledgeBase",
      "previewOf",
      "startPresenceBeat",
      "usesDemoAgent",
      "verifyPassword",
    ]
  `);
});
