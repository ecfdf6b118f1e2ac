/** The bot interface and the default FAQ bot over a knowledge base file. */
export { FaqBot, DEFAULT_BOT_MESSAGES, DEFAULT_HANDOFF_PHRASES, DEFAULT_URGENT_PHRASES } from './faq.js';
export type { FaqBotOptions, FaqBotMessages, FaqMatch } from './faq.js';
export { loadKnowledgeBase, parseKnowledgeBase, KnowledgeBaseError } from './kb.js';
export type { KnowledgeBase, Article } from './kb.js';
export { createHelpCenter } from './help.js';
export type { HelpCenter } from './help.js';
export { normalize } from './text.js';
export type { Bot, BotInput, BotReply } from './types.js';
