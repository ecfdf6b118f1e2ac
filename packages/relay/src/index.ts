/**
 * @parley/relay: the reference Parley server. Start one with `createRelay()` or the
 * `parley start` command; plug in your own Store, Bus or Bot through the options.
 */
export { createRelay } from './relay.js';
export type { Relay, RelayOptions } from './relay.js';
export { openBackends, BackendError } from './backends.js';
export type { Backends, BackendConfig } from './backends.js';
export { DataRights, VISITOR_EXPORT_FORMAT } from './data-rights/index.js';
export type { DataRightsOptions, VisitorExport, VisitorErasure } from './data-rights/index.js';
export {
  loadConfig,
  parseConfig,
  ConfigError,
  DEFAULT_LIMITS,
  DEMO_AGENT,
  DEFAULT_DATA_DIR,
  usesDemoAgent,
  withAgentDefaults,
} from './config.js';
export type { RelayConfig, RelayLimits, AgentConfig, AgentInput, TopicConfig, SmtpConfig, LoadConfigOptions, BotConfig, WebhookConfig } from './config.js';
export {
  MemoryStore,
  previewOf,
  SqliteStore,
  DEFAULT_SQLITE_PATH,
  PostgresStore,
  SQLITE_MIGRATIONS,
  POSTGRES_MIGRATIONS,
} from './store/index.js';
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
  SqliteStoreOptions,
  PostgresStoreOptions,
  SqlMigration,
  TransitionResultBase,
  DeskFields,
  UpdateGuard,
  TicketRecord,
  TicketListItem,
} from './store/index.js';
export {
  InProcessBus,
  AGENTS_TOPIC,
  VISITORS_TOPIC,
  conversationTopic,
  RedisBus,
  RedisPresence,
  MemoryPresence,
  DEFAULT_PRESENCE_TTL_MS,
} from './bus/index.js';
export type {
  Bus,
  BusHandler,
  BusMessage,
  InProcessBusOptions,
  RedisBusOptions,
  RedisPresenceOptions,
  Presence,
  MemoryPresenceOptions,
} from './bus/index.js';
export {
  FaqBot,
  FaqIndex,
  loadKnowledgeBase,
  parseKnowledgeBase,
  watchKnowledgeBase,
  KnowledgeBaseError,
  evaluate,
  loadQueries,
  DEFAULT_URGENT_PHRASES,
  DEFAULT_HANDOFF_PHRASES,
  DEFAULT_BOT_MESSAGES,
  DEFAULT_FAQ_THRESHOLDS,
  faqTerms,
  WebhookBot,
  WEBHOOK_DEFAULTS,
  WEBHOOK_VERSION,
  webhookSignature,
  createBot,
} from './bot/index.js';
export type {
  Bot,
  BotInput,
  BotReply,
  FaqBotOptions,
  FaqBotMessages,
  FaqDecision,
  FaqThresholds,
  ArticleHit,
  SearchOptions,
  EvalQuery,
  EvalReport,
  KnowledgeBase,
  Article,
  WatchKnowledgeBaseOptions,
  WebhookBotOptions,
  CreateBotOptions,
} from './bot/index.js';
export { hashPassword, verifyPassword, newToken, hashToken, LoginThrottle } from './auth/index.js';
export { ConversationService } from './conversations/index.js';
export type { Actor, ConversationServiceOptions, CapacityPolicy, NewConversationInput } from './conversations/index.js';
export { Desk, queueOrder, isOpen } from './routing/index.js';
export type { DeskOptions } from './routing/index.js';
export { TicketService, SmtpMailer, newTicketNumber, normaliseTicketNumber, transcriptText } from './tickets/index.js';
export type { TicketServiceOptions, Mailer, Mail } from './tickets/index.js';
export { RelayError } from './errors.js';
export { DEFAULT_GATEWAY_LIMITS, SessionRegistry, startPresenceBeat } from './gateway/index.js';
export type { GatewayLimits, Timers, RelayPresence, PresenceBeat, PresenceBeatOptions, SessionKind, SessionListener } from './gateway/index.js';
export type { StaticDirs } from './http/index.js';
export type { Logger } from './logger.js';
