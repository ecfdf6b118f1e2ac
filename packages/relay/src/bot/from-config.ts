import type { RelayConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { Bot } from './types.js';
import { WebhookBot } from './webhook.js';

/** What {@link createBot} builds on. */
export interface CreateBotOptions {
  /** The FAQ bot (or any bot): the answer when no webhook is configured, and the webhook's fallback. */
  faq: Bot;
  logger?: Pick<Logger, 'info' | 'warn'>;
  /** Passed to the {@link WebhookBot}. @default global fetch */
  fetch?: typeof fetch;
  /** Passed to the {@link WebhookBot}. @default Date.now */
  now?: () => number;
}

/**
 * The bot a config asks for: the FAQ bot, or with `bot.webhook` a {@link WebhookBot} that
 * falls back to the FAQ bot when the webhook fails.
 *
 * @example
 * const bot = createBot(config, { logger, faq: new FaqBot({ kb: await loadKnowledgeBase(config.kbPath) }) });
 */
export function createBot(config: Pick<RelayConfig, 'bot'>, options: CreateBotOptions): Bot {
  const webhook = config.bot?.webhook;
  if (!webhook) return options.faq;
  const bot = new WebhookBot({
    url: webhook.url,
    ...(webhook.timeoutMs !== undefined ? { timeoutMs: webhook.timeoutMs } : {}),
    ...(webhook.secret !== undefined ? { secret: webhook.secret } : {}),
    fallback: options.faq,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  options.logger?.info({ webhook: new URL(webhook.url).origin, signed: webhook.secret !== undefined }, 'bot answers through a webhook, FAQ bot as fallback');
  return bot;
}
