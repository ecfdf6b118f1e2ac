/** The WebSocket endpoint: sessions, validation, rate limits, subscriptions. */
export { attachGateway, DEFAULT_GATEWAY_LIMITS } from './gateway.js';
export type { Gateway, GatewayLimits, GatewayOptions, Timers } from './gateway.js';
export { TokenBucket } from './rate-limit.js';
