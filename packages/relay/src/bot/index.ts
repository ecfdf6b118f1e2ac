/** The bot interface, the default FAQ bot over a knowledge base file, its evaluation, and the webhook bot. */
export { FaqBot, DEFAULT_BOT_MESSAGES, DEFAULT_HANDOFF_PHRASES, DEFAULT_URGENT_PHRASES, DEFAULT_FAQ_THRESHOLDS } from './faq.js';
export type { FaqBotOptions, FaqBotMessages, FaqDecision, FaqThresholds } from './faq.js';
export { FaqIndex } from './search.js';
export type { ArticleHit, SearchOptions } from './search.js';
export { loadKnowledgeBase, parseKnowledgeBase, KnowledgeBaseError, LanguageKeySchema } from './kb.js';
export type { KnowledgeBase, Article } from './kb.js';
export { watchKnowledgeBase } from './watch.js';
export type { WatchKnowledgeBaseOptions } from './watch.js';
export { evaluate, loadQueries } from './eval.js';
export type { EvalQuery, EvalReport, Tally } from './eval.js';
export { normalize, terms as faqTerms } from './text.js';
export { createHelpCenter } from './help.js';
export type { HelpCenter } from './help.js';
export type { Bot, BotInput, BotReply } from './types.js';
export { WebhookBot, WEBHOOK_DEFAULTS, WEBHOOK_VERSION, webhookSignature } from './webhook.js';
export type { WebhookBotOptions } from './webhook.js';
export { createBot } from './from-config.js';
export type { CreateBotOptions } from './from-config.js';
