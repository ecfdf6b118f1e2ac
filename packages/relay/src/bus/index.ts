/** How relay components tell each other about new events and queue changes. */
export { InProcessBus } from './in-process.js';
export type { InProcessBusOptions } from './in-process.js';
export { AGENTS_TOPIC, conversationTopic } from './types.js';
export type { Bus, BusHandler, BusMessage } from './types.js';
