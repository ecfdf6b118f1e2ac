/** Conversations: authorization, ordering, bot turns and notifications. */
export { ConversationService, toSummary } from './service.js';
export type { Actor, ConversationServiceOptions, CapacityPolicy, NewConversationInput } from './service.js';
