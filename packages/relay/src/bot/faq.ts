import type { ArticleRef } from '@parley/protocol';
import type { Article, KnowledgeBase } from './kb.js';
import { containsPhrase, features, similarity } from './text.js';
import type { Bot, BotInput, BotReply } from './types.js';

/** What the bot says when it has no article, and when it hands off, per language. */
export interface FaqBotMessages {
  noAnswer: string;
  handoff: string;
}

/** The bot's own sentences in the languages the default knowledge base covers. */
export const DEFAULT_BOT_MESSAGES: Record<string, FaqBotMessages> = {
  en: {
    noAnswer: "I'm not sure I can answer that. Would you like to talk to a person? Type “agent” or use “Talk to a person”.",
    handoff: "Sure — I'm connecting you with a person. An agent will join this chat shortly.",
  },
  zh: {
    noAnswer: '抱歉，我暂时无法回答这个问题。需要转人工客服吗？请输入“人工”或点击“联系人工客服”。',
    handoff: '好的，正在为您转接人工客服，请稍候。',
  },
  es: {
    noAnswer: 'No estoy seguro de poder responder a eso. ¿Quiere hablar con una persona? Escriba «agente» o use «Hablar con una persona».',
    handoff: 'De acuerdo, le estoy poniendo en contacto con una persona. Un agente se unirá al chat en breve.',
  },
  ru: {
    noAnswer: 'Не уверен, что могу ответить на этот вопрос. Хотите поговорить с человеком? Напишите «оператор» или нажмите «Связаться с человеком».',
    handoff: 'Хорошо, соединяю вас с оператором. Он подключится к чату в ближайшее время.',
  },
  ja: {
    noAnswer: '申し訳ありません、その質問にはお答えできないかもしれません。担当者とお話しになりますか？「オペレーター」と入力するか、「担当者と話す」を押してください。',
    handoff: '承知しました。担当者におつなぎします。まもなくオペレーターがチャットに参加します。',
  },
  ko: {
    noAnswer: '죄송합니다. 이 질문에는 답변드리기 어렵습니다. 상담원과 대화하시겠어요? “상담원”이라고 입력하거나 “상담원 연결”을 눌러 주세요.',
    handoff: '네, 상담원에게 연결해 드리겠습니다. 곧 상담원이 채팅에 참여합니다.',
  },
};

/** Words that mean "let me talk to a person", in the languages the relay ships. */
export const DEFAULT_HANDOFF_PHRASES: readonly string[] = [
  // en
  'agent', 'human', 'real person', 'live person', 'talk to a person', 'speak to a person', 'operator', 'representative', 'live chat',
  // zh
  '人工', '客服', '真人',
  // es
  'agente', 'humano', 'persona real', 'operador', 'hablar con una persona',
  // ru
  'оператор', 'живой человек', 'с человеком', 'сотрудник',
  // ja
  'オペレーター', 'オペレータ', '担当者', '人間',
  // ko
  '상담원', '상담사', '사람과',
];

/**
 * Words that mean a security case (an account taken over, funds stolen): the bot hands off at
 * once with `urgent` priority, so the conversation jumps the queue. Matched like the hand-off
 * phrases (case-insensitive, on word boundaries for scripts with spaces).
 */
export const DEFAULT_URGENT_PHRASES: readonly string[] = [
  // en
  'account taken over', 'account was taken over', 'taken over my account', 'hacked', 'funds stolen', 'stolen funds', 'stole my',
  'unauthorized withdrawal', 'unauthorised withdrawal', 'compromised', 'someone logged into my account',
  // zh
  '被盗', '盗号', '被黑',
  // es
  'hackeada', 'hackeado', 'robaron', 'fondos robados',
  // ru
  'взломали', 'украли',
  // ja
  '乗っ取', '盗まれ',
  // ko
  '해킹', '도난',
];

/** Options for {@link FaqBot}. */
export interface FaqBotOptions {
  kb: KnowledgeBase;
  /** The lowest score (0..1.5) that counts as an answer. @default 0.34 */
  threshold?: number;
  /** @default DEFAULT_BOT_MESSAGES */
  messages?: Record<string, FaqBotMessages>;
  /** @default DEFAULT_HANDOFF_PHRASES */
  handoffPhrases?: readonly string[];
  /** Security cases: hand off at once, urgent. @default DEFAULT_URGENT_PHRASES */
  urgentPhrases?: readonly string[];
}

/** One article's score for a visitor's text. */
export interface FaqMatch {
  article: Article;
  score: number;
}

interface IndexedArticle {
  article: Article;
  questions: Set<string>[];
  keywords: string[];
}

// A keyword is strong evidence but not proof; two hits weigh about as much as a close question.
const KEYWORD_WEIGHT = 0.25;
const MAX_KEYWORD_BONUS = 0.5;

/**
 * The default bot: answers from a knowledge base by matching the visitor's text against each
 * article's example questions, title and keywords, in every language. Words are compared for
 * spaced languages and character bigrams for Chinese, Japanese and Korean. Below the threshold
 * it says it does not know and offers a person; a request for a person hands off at once.
 *
 * @example
 * const bot = new FaqBot({ kb: await loadKnowledgeBase('kb/default.json') });
 * await bot.reply({ conversation, text: 'my deposit has not arrived', lang: 'en' });
 * // { text: '...', articleId: 'deposit-not-arrived', suggestions: [...] }
 */
export class FaqBot implements Bot {
  readonly #index: IndexedArticle[];
  readonly #threshold: number;
  readonly #messages: Record<string, FaqBotMessages>;
  readonly #handoff: readonly string[];
  readonly #urgent: readonly string[];

  constructor(options: FaqBotOptions) {
    this.#urgent = options.urgentPhrases ?? DEFAULT_URGENT_PHRASES;
    this.#threshold = options.threshold ?? 0.34;
    this.#messages = options.messages ?? DEFAULT_BOT_MESSAGES;
    this.#handoff = options.handoffPhrases ?? DEFAULT_HANDOFF_PHRASES;
    this.#index = options.kb.articles.map((article) => ({
      article,
      questions: [...Object.values(article.questions).flat(), ...Object.values(article.title)].map(features),
      keywords: Object.values(article.keywords).flat(),
    }));
  }

  /** True when the text asks for a person. */
  wantsHuman(text: string): boolean {
    return this.#handoff.some((phrase) => containsPhrase(text, phrase));
  }

  /** True when the text names a security case (see {@link DEFAULT_URGENT_PHRASES}). */
  isUrgent(text: string): boolean {
    return this.#urgent.some((phrase) => containsPhrase(text, phrase));
  }

  /** Every article with a positive score, best first. */
  match(text: string): FaqMatch[] {
    const input = features(text);
    const out: FaqMatch[] = [];
    for (const { article, questions, keywords } of this.#index) {
      let best = 0;
      for (const q of questions) best = Math.max(best, similarity(input, q));
      const hits = keywords.filter((k) => containsPhrase(text, k)).length;
      const score = best + Math.min(MAX_KEYWORD_BONUS, hits * KEYWORD_WEIGHT);
      if (score > 0) out.push({ article, score });
    }
    return out.sort((a, b) => b.score - a.score);
  }

  async reply({ text, lang }: BotInput): Promise<BotReply> {
    const say = this.#messages[lang] ?? this.#messages.en ?? DEFAULT_BOT_MESSAGES.en!;
    if (this.isUrgent(text)) return { text: say.handoff, handoff: true, urgent: true };
    if (this.wantsHuman(text)) return { text: say.handoff, handoff: true };
    const matches = this.match(text);
    const top = matches[0];
    const ref = (a: Article): ArticleRef => ({ id: a.id, title: localized(a.title, lang) });
    if (!top || top.score < this.#threshold) {
      const suggestions = matches.slice(0, 3).map((m) => ref(m.article));
      return { text: say.noAnswer, ...(suggestions.length ? { suggestions } : {}) };
    }
    const related = matches
      .slice(1)
      .filter((m) => m.score >= this.#threshold * 0.75)
      .slice(0, 3)
      .map((m) => ref(m.article));
    return {
      text: localized(top.article.body, lang),
      articleId: top.article.id,
      ...(related.length ? { suggestions: related } : {}),
    };
  }
}

/** The text in `lang` when the record has it, else English (the loader guarantees `en`). */
function localized(record: Record<string, string>, lang: string): string {
  return record[lang] ?? record.en ?? Object.values(record)[0] ?? '';
}
