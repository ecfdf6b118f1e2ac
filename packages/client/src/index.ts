/**
 * @parley/client: the headless chat client. Transports, connection state, delivery
 * (outbox, resend, dedupe) and conversation state as @preact/signals-core signals.
 */
export { createVisitorChat, createVisitorClient } from './visitor.js';
export { createAgentClient } from './agent.js';
export { loginAgent } from './login.js';
export type { LoginOptions, LoginResult } from './login.js';
export {
  fetchDesk,
  fetchHelpIndex,
  searchHelp,
  fetchHelpArticle,
  createTicket,
  lookupTicket,
  addTicketMessage,
  listTickets,
  getTicket,
  replyTicket,
  setTicketStatus,
} from './http.js';
export type { HttpOptions } from './http.js';
export { websocketTransport } from './transports/websocket.js';
export type { WebSocketTransportOptions } from './transports/websocket.js';
export { pollingTransport } from './transports/polling.js';
export type { PollingTransportOptions, TransportTimers } from './transports/polling.js';
export { autoTransport, autoDefaults } from './transports/auto.js';
export type { AutoTransportOptions } from './transports/auto.js';
export { backoffDelay, backoffDefaults } from './backoff.js';
export type { BackoffOptions } from './backoff.js';
export { heartbeatDefaults } from './connection.js';
export type { HeartbeatOptions } from './connection.js';
export { ParleyError } from './errors.js';
export type {
  ConnectionState,
  ChatMessage,
  StatusItem,
  TranscriptItem,
  ClientError,
  KeyValueStorage,
  TransportFactory,
  TransportChoice,
  TransportHandlers,
  TransportConnection,
  BaseClientOptions,
  VisitorClientOptions,
  VisitorChat,
  VisitorClient,
  AgentClientOptions,
  AgentClient,
  NetworkEvents,
  NoteItem,
  VisitorTranscriptItem,
  QueuePosition,
  TypingInfo,
  TransferTarget,
} from './types.js';
