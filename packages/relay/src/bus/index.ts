/** How relay components tell each other about new events and queue changes. */
export { InProcessBus } from './in-process.js';
export type { InProcessBusOptions } from './in-process.js';
export { AGENTS_TOPIC, VISITORS_TOPIC, conversationTopic } from './types.js';
export type { Bus, BusHandler, BusMessage } from './types.js';
export { RedisBus } from './redis.js';
export type { RedisBusOptions } from './redis.js';
export { MemoryPresence, DEFAULT_PRESENCE_TTL_MS } from './presence.js';
export type { Presence, MemoryPresenceOptions } from './presence.js';
export { RedisPresence } from './presence-redis.js';
export type { RedisPresenceOptions } from './presence-redis.js';
