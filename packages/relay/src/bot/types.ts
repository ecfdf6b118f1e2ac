import type { ArticleRef, ConversationSummary } from '@parley/protocol';

/** What a bot is asked: the conversation, the visitor's message, and the language to answer in. */
export interface BotInput {
  conversation: ConversationSummary;
  text: string;
  /** Primary language subtag, lowercase (`en`, `zh`, `es`...). */
  lang: string;
}

/** A bot's answer. `handoff: true` puts the conversation in the agents' queue after the answer. */
export interface BotReply {
  text: string;
  articleId?: string;
  suggestions?: ArticleRef[];
  handoff?: boolean;
  /** With `handoff`: the case is urgent (a security case); it jumps the queue. */
  urgent?: boolean;
}

/**
 * Answers visitor messages while a conversation belongs to the bot. Return `null` to stay
 * silent. A bot that throws is logged and ignored; the conversation goes on.
 *
 * @example
 * const echo: Bot = { reply: async ({ text }) => ({ text: `You said: ${text}` }) };
 * const relay = await createRelay({ bot: echo });
 */
export interface Bot {
  reply(input: BotInput): Promise<BotReply | null>;
}
