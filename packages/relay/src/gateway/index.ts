/** The client endpoints (WebSocket and long-polling over one shared session): validation, rate limits, subscriptions. */
export { attachGateway, DEFAULT_GATEWAY_LIMITS } from './gateway.js';
export type { Gateway, GatewayLimits, GatewayOptions, Timers } from './gateway.js';
export { KeyedBuckets, TokenBucket } from './rate-limit.js';
export { TranscriptLimit } from './session.js';
export { createPolling } from './polling.js';
export type { Polling, PollingOptions } from './polling.js';
export { SessionRegistry } from './sessions.js';
export type { SessionKind, SessionListener, SessionMember } from './sessions.js';
export { startPresenceBeat } from './presence-beat.js';
export type { RelayPresence, PresenceBeat, PresenceBeatOptions } from './presence-beat.js';
