import { createHmac } from 'node:crypto';
import * as v from 'valibot';
import { ArticleRefSchema, LIMITS } from '@parley/protocol';
import type { Logger } from '../logger.js';
import type { Bot, BotInput, BotReply } from './types.js';

/** The version of the webhook request body (`v` in the JSON). */
export const WEBHOOK_VERSION = 1;

/** Defaults of {@link WebhookBotOptions}. */
export const WEBHOOK_DEFAULTS = {
  timeoutMs: 3000,
  maxResponseBytes: 64 * 1024,
} as const;

/** Options for {@link WebhookBot}. */
export interface WebhookBotOptions {
  /** Where the conversation is POSTed (http: or https:). */
  url: string;
  /**
   * How long the whole exchange may take, response body included; after it the fallback answers.
   * @default 3000
   */
  timeoutMs?: number;
  /**
   * Signs each request: `X-Parley-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`
   * with `X-Parley-Timestamp: <timestamp>` (ms). Absent: requests are not signed.
   */
  secret?: string;
  /** Answers when the webhook does not (timeout, network error, bad status or body). `null`: stay silent. */
  fallback: Bot | null;
  /** Largest response body read; a longer one counts as a failure. @default 65536 */
  maxResponseBytes?: number;
  /** @default global fetch */
  fetch?: typeof fetch;
  /** Where failures are reported (a warning each, without message text). @default none */
  logger?: Pick<Logger, 'warn'>;
  /** The clock for `X-Parley-Timestamp`. @default Date.now */
  now?: () => number;
}

const articleId = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.maxIdChars), v.regex(/^[A-Za-z0-9_-]+$/));

/** What a webhook may answer with status 200. Unknown keys are ignored, so receivers can add their own. */
const WebhookReplySchema = v.union([
  v.object({ text: v.null() }),
  v.object({
    text: v.pipe(
      v.string(),
      v.check((s) => s.trim().length > 0, 'text must not be blank'),
      v.maxLength(LIMITS.maxTextChars, `text is longer than ${LIMITS.maxTextChars} characters`),
    ),
    articleId: v.optional(articleId),
    suggestions: v.optional(v.pipe(v.array(ArticleRefSchema), v.maxLength(3, 'at most 3 suggestions'))),
    handoff: v.optional(v.boolean()),
    urgent: v.optional(v.boolean()),
  }),
]);

/** Why a webhook call did not produce a reply; logged, never thrown. */
class WebhookFailure extends Error {
  constructor(readonly reason: string, readonly status?: number) {
    super(reason);
  }
}

/**
 * The signature a receiver should expect: hex HMAC-SHA256 of `${timestamp}.${body}` with the
 * secret, where `body` is the exact request body bytes (UTF-8) and `timestamp` the
 * `X-Parley-Timestamp` header. The header carries it as `sha256=<hex>`.
 *
 * @example
 * const expected = `sha256=${webhookSignature(secret, req.headers['x-parley-timestamp'], rawBody)}`;
 * // compare with timingSafeEqual, and refuse timestamps more than a few minutes old
 */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/**
 * A bot that asks your own service: each visitor message the bot would answer is POSTed as
 * JSON to `url`, and the answer is relayed. When the webhook is slow (`timeoutMs`), down,
 * answers with a non-2xx status, or with a body that is too large or not a valid reply, the
 * failure is logged as a warning and `fallback` answers instead (usually the FAQ bot). It never
 * throws for a webhook failure.
 *
 * Request: `{"v":1,"conversation":{…ConversationSummary},"text":"…","lang":"en"}`.
 * Response: 200 with `{"text":"…","articleId"?,"suggestions"?:[{id,title}],"handoff"?,"urgent"?}`,
 * or 204 / `{"text":null}` to stay silent.
 *
 * @example
 * const bot = new WebhookBot({ url: 'https://bots.example.com/parley', secret, fallback: faqBot, logger });
 * const relay = await createRelay({ bot });
 */
export class WebhookBot implements Bot {
  readonly #url: string;
  readonly #timeoutMs: number;
  readonly #secret: string | undefined;
  readonly #fallback: Bot | null;
  readonly #maxBytes: number;
  readonly #fetch: typeof fetch;
  readonly #logger: Pick<Logger, 'warn'> | undefined;
  readonly #now: () => number;
  /** Logged instead of the URL, whose path or query may hold a token. */
  readonly #origin: string;

  constructor(options: WebhookBotOptions) {
    const url = new URL(options.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`WebhookBot: url must be http: or https:, not ${url.protocol}`);
    this.#url = options.url;
    this.#origin = url.origin;
    this.#timeoutMs = options.timeoutMs ?? WEBHOOK_DEFAULTS.timeoutMs;
    this.#secret = options.secret;
    this.#fallback = options.fallback;
    this.#maxBytes = options.maxResponseBytes ?? WEBHOOK_DEFAULTS.maxResponseBytes;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
  }

  async reply(input: BotInput): Promise<BotReply | null> {
    try {
      return await this.#ask(input);
    } catch (error) {
      const failure = error instanceof WebhookFailure ? error : new WebhookFailure('internal error');
      // No message text and no URL path: both may carry what the visitor or the operator wants private.
      this.#logger?.warn(
        {
          webhook: this.#origin,
          conversationId: input.conversation.id,
          reason: failure.reason,
          ...(failure.status !== undefined ? { status: failure.status } : {}),
          fallback: this.#fallback !== null,
        },
        'bot webhook failed; falling back',
      );
      return this.#fallback ? this.#fallback.reply(input) : null;
    }
  }

  async #ask(input: BotInput): Promise<BotReply | null> {
    const body = JSON.stringify({ v: WEBHOOK_VERSION, conversation: input.conversation, text: input.text, lang: input.lang });
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (this.#secret !== undefined) {
      const timestamp = String(this.#now());
      headers['x-parley-timestamp'] = timestamp;
      headers['x-parley-signature'] = `sha256=${webhookSignature(this.#secret, timestamp, body)}`;
    }
    const controller = new AbortController();
    // One deadline for connecting, the status and the body: a webhook that sends headers and
    // then trickles its body must not hold the conversation's bot turn either.
    const timer = setTimeout(() => controller.abort(), this.#timeoutMs);
    try {
      let response: Response;
      try {
        // `manual`: a redirect is an answer we do not follow, so the signed body never goes elsewhere.
        response = await this.#fetch(this.#url, { method: 'POST', headers, body, signal: controller.signal, redirect: 'manual' });
      } catch {
        throw new WebhookFailure(controller.signal.aborted ? 'timeout' : 'network error');
      }
      if (response.status === 204) {
        await response.body?.cancel().catch(() => {});
        return null;
      }
      if (response.status !== 200) {
        await response.body?.cancel().catch(() => {});
        throw new WebhookFailure('unexpected status', response.status);
      }
      const text = await this.#readBounded(response, controller.signal);
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch {
        throw new WebhookFailure('invalid JSON');
      }
      const parsed = v.safeParse(WebhookReplySchema, data);
      if (!parsed.success) throw new WebhookFailure('invalid reply shape');
      const reply = parsed.output;
      if (reply.text === null) return null;
      return {
        text: reply.text,
        ...(reply.articleId !== undefined ? { articleId: reply.articleId } : {}),
        ...(reply.suggestions !== undefined ? { suggestions: reply.suggestions.map(({ id, title }) => ({ id, title })) } : {}),
        ...(reply.handoff !== undefined ? { handoff: reply.handoff } : {}),
        ...(reply.urgent !== undefined ? { urgent: reply.urgent } : {}),
      };
    } finally {
      clearTimeout(timer);
    }
  }

  /** The body as text, reading at most `maxResponseBytes`; more is a failure, and the rest is never read. */
  async #readBounded(response: Response, signal: AbortSignal): Promise<string> {
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > this.#maxBytes) {
      await response.body?.cancel().catch(() => {});
      throw new WebhookFailure('response too large');
    }
    if (!response.body) return '';
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > this.#maxBytes) throw new WebhookFailure('response too large');
        chunks.push(value);
      }
    } catch (error) {
      await reader.cancel().catch(() => {});
      if (error instanceof WebhookFailure) throw error;
      throw new WebhookFailure(signal.aborted ? 'timeout' : 'network error');
    }
    return new TextDecoder().decode(Buffer.concat(chunks));
  }
}
