/** The bot interface, the default FAQ bot over a knowledge base file, and the webhook bot. */
export { FaqBot, DEFAULT_BOT_MESSAGES, DEFAULT_HANDOFF_PHRASES, DEFAULT_URGENT_PHRASES } from './faq.js';
export type { FaqBotOptions, FaqBotMessages, FaqMatch } from './faq.js';
export { loadKnowledgeBase, parseKnowledgeBase, KnowledgeBaseError } from './kb.js';
export type { KnowledgeBase, Article } from './kb.js';
export { normalize } from './text.js';
export type { Bot, BotInput, BotReply } from './types.js';
export { WebhookBot, WEBHOOK_DEFAULTS, WEBHOOK_VERSION, webhookSignature } from './webhook.js';
export type { WebhookBotOptions } from './webhook.js';
export { createBot } from './from-config.js';
export type { CreateBotOptions } from './from-config.js';
