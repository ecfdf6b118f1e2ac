/** Where the relay keeps visitors, conversations, events, agents and sessions. */
export { MemoryStore } from './memory.js';
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
} from './types.js';
