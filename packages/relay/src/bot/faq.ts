import type { ArticleRef } from '@parley/protocol';
import type { KnowledgeBase } from './kb.js';
import { FaqIndex, type ArticleHit, type SearchOptions } from './search.js';
import { phraseMatcher } from './text.js';
import type { Bot, BotInput, BotReply } from './types.js';

/** What the bot says, per language, for each kind of decision that is not an article. */
export interface FaqBotMessages {
  /** `none`: it does not know; offer a person. */
  noAnswer: string;
  /** `suggest`: introduces up to three articles to pick from. */
  suggest: string;
  /** `handoff`: the visitor asked for a person. */
  handoff: string;
  /** `urgent`: a security case: what to do right now, and that a person is coming first. */
  urgent: string;
}

/** The bot's own sentences in the languages the default knowledge base covers. */
export const DEFAULT_BOT_MESSAGES: Record<string, FaqBotMessages> = {
  en: {
    noAnswer: "I'm not sure I can answer that. Would you like to talk to a person? Type “agent” or use “Talk to a person”.",
    suggest: 'I found a few articles that may help. Pick one, or ask for a person:',
    handoff: "Sure — I'm connecting you with a person. An agent will join this chat shortly.",
    urgent:
      'This is urgent: you are first in line for our security team. Right now: 1) freeze your account in Security settings (or with the “disable account” link in our e-mails); 2) change your password from a device you trust; 3) delete API keys and log out other devices. We will never ask for your password, private key, seed phrase or 2FA codes.',
  },
  zh: {
    noAnswer: '抱歉，我暂时无法回答这个问题。需要转人工客服吗？请输入“人工”或点击“联系人工客服”。',
    suggest: '我找到了几篇可能有帮助的文章，请选择一篇，或者转人工客服：',
    handoff: '好的，正在为您转接人工客服，请稍候。',
    urgent:
      '情况紧急，您已被优先转接至安全团队。请立即：1）在安全设置中冻结账户（或使用我们邮件中的“禁用账户”链接）；2）在可信设备上修改密码；3）删除 API 密钥并退出其他设备。我们绝不会索要您的密码、私钥、助记词或二次验证码。',
  },
  es: {
    noAnswer: 'No estoy seguro de poder responder a eso. ¿Quiere hablar con una persona? Escriba «agente» o use «Hablar con una persona».',
    suggest: 'Encontré algunos artículos que pueden ayudarle. Elija uno o pida hablar con una persona:',
    handoff: 'De acuerdo, le estoy poniendo en contacto con una persona. Un agente se unirá al chat en breve.',
    urgent:
      'Es urgente: tiene prioridad con nuestro equipo de seguridad. Ahora mismo: 1) congele su cuenta en Seguridad (o con el enlace «desactivar cuenta» de nuestros correos); 2) cambie la contraseña desde un dispositivo de confianza; 3) elimine las claves API y cierre las demás sesiones. Nunca le pediremos su contraseña, clave privada, frase semilla ni códigos 2FA.',
  },
  ru: {
    noAnswer: 'Не уверен, что могу ответить на этот вопрос. Хотите поговорить с человеком? Напишите «оператор» или нажмите «Связаться с человеком».',
    suggest: 'Нашёл несколько статей, которые могут помочь. Выберите одну или попросите оператора:',
    handoff: 'Хорошо, соединяю вас с оператором. Он подключится к чату в ближайшее время.',
    urgent:
      'Это срочно: вы первый в очереди службы безопасности. Прямо сейчас: 1) заморозьте аккаунт в настройках безопасности (или по ссылке «отключить аккаунт» в наших письмах); 2) смените пароль с доверенного устройства; 3) удалите API-ключи и завершите другие сеансы. Мы никогда не просим пароль, приватный ключ, сид-фразу или коды 2FA.',
  },
  ja: {
    noAnswer: '申し訳ありません、その質問にはお答えできないかもしれません。担当者とお話しになりますか？「オペレーター」と入力するか、「担当者と話す」を押してください。',
    suggest: 'お役に立ちそうな記事が見つかりました。お選びいただくか、担当者におつなぎします：',
    handoff: '承知しました。担当者におつなぎします。まもなくオペレーターがチャットに参加します。',
    urgent:
      '緊急のご案内です。セキュリティ担当へ最優先でおつなぎします。今すぐ：1）セキュリティ設定でアカウントを凍結してください（当社メールの「アカウント無効化」リンクでも可）；2）信頼できる端末からパスワードを変更してください；3）APIキーを削除し、他の端末からログアウトしてください。パスワード、秘密鍵、シードフレーズ、2段階認証コードをお聞きすることは決してありません。',
  },
  ko: {
    noAnswer: '죄송합니다. 이 질문에는 답변드리기 어렵습니다. 상담원과 대화하시겠어요? “상담원”이라고 입력하거나 “상담원 연결”을 눌러 주세요.',
    suggest: '도움이 될 만한 글을 찾았습니다. 하나를 고르시거나 상담원 연결을 요청해 주세요:',
    handoff: '네, 상담원에게 연결해 드리겠습니다. 곧 상담원이 채팅에 참여합니다.',
    urgent:
      '긴급 상황으로 보안팀에 최우선으로 연결합니다. 지금 바로: 1) 보안 설정에서 계정을 동결하세요(또는 저희 이메일의 “계정 비활성화” 링크); 2) 신뢰할 수 있는 기기에서 비밀번호를 변경하세요; 3) API 키를 삭제하고 다른 기기에서 로그아웃하세요. 저희는 비밀번호, 개인 키, 시드 구문, 2FA 코드를 절대 요청하지 않습니다.',
  },
};

/**
 * Words that mean "let me talk to a person", or that the bot is not helping, in the languages
 * the relay ships. Matched case- and accent-insensitively, at word starts for spaced scripts.
 */
export const DEFAULT_HANDOFF_PHRASES: readonly string[] = [
  // en
  'agent', 'human', 'real person', 'live person', 'to a person', 'with a person', 'someone real', 'somebody real', 'real someone', 'operator',
  'representative', 'live chat', 'live support', 'customer service', 'support staff', 'talk to someone', 'speak to someone',
  'speak with someone', 'talk with someone', 'useless bot', 'bot is useless', 'stupid bot', 'not a bot', 'no bot', 'not helpful',
  "didn't help", 'didnt help', "doesn't help", 'doesnt help',
  // zh
  '人工', '客服', '真人', '转接', '机器人没用', '没用的机器人',
  // es
  'agente', 'humano', 'persona real', 'una persona', 'operador', 'asesor', 'hablar con alguien', 'no me ayuda', 'bot inutil',
  // ru
  'оператор', 'живой человек', 'живого человека', 'с человеком', 'человека', 'сотрудник', 'консультант', 'специалист',
  'живым человеком', 'живому человеку', 'бот бесполез', 'бесполезный бот',
  // ja
  'オペレーター', 'オペレータ', '担当者', '担当の方', '人間', '人と話', '有人', 'スタッフ', '役に立たない',
  // ko
  '상담원', '상담사', '사람과', '사람이랑', '사람한테', '직원', '상담 연결', '쓸모없',
];

/**
 * Words that mean a security case (an account taken over, funds stolen, a withdrawal the
 * visitor did not make): the bot hands off at once with `urgent` priority, so the conversation
 * jumps the queue. Matched like the hand-off phrases. They win over everything else: a false
 * alarm costs an agent a minute, a missed one costs a visitor their funds.
 */
export const DEFAULT_URGENT_PHRASES: readonly string[] = [
  // en
  'taken over', 'took over my', 'hacked', 'hacker', 'stolen', 'stole', 'theft', 'unauthorized', 'unauthorised', 'compromised',
  'someone logged', 'somebody logged', 'someone accessed', 'someone withdrew', 'somebody withdrew', 'someone changed',
  'somebody changed', "wasn't me", 'wasnt me', 'was not me', "didn't make this", 'didnt make this', 'did not make this', "i didn't withdraw", 'i didnt withdraw',
  'i did not withdraw', 'never made', 'never did', "didn't do", 'didnt do', 'did not do', 'never authorized', 'without my permission',
  'drained', 'emptied my', 'locked me out', 'funds are gone', 'money is gone', 'coins are gone', 'funds disappeared', 'money disappeared',
  // zh
  '被盗', '盗号', '被黑', '被偷', '盗了', '偷了', '黑客', '不是我', '未经授权', '未授权', '有人登录', '有人登陆', '被转走', '被提走', '被人提', '被人转', '陌生设备', '异地登录', '不是我操作', '我没有操作', '不见了', '被改了',
  // es
  'hackea', 'hackeo', 'robaron', 'robado', 'robo de', 'no autorizad', 'no fui yo', 'alguien entro', 'alguien retiro',
  'alguien cambio', 'vaciaron', 'sin mi permiso', 'suplantacion', 'no hice', 'no realice', 'desaparecieron', 'desaparecio',
  // ru
  'взлом', 'взломал', 'украли', 'украден', 'кража', 'похитили', 'несанкционирован', 'это не я', 'это был не я', 'кто-то вошел', 'кто то вошел',
  'кто-то вывел', 'кто то вывел', 'кто-то зашел', 'кто то зашел', 'кто-то сменил', 'кто то сменил', 'без моего ведома',
  'без моего разрешения', 'вывели все', 'не делал', 'не совершал', 'не выводил', 'не менял', 'пропали', 'исчезли',
  // ja
  '乗っ取', '盗まれ', '盗難', 'ハッキング', 'ハッキングされ', '不正アクセス', '不正ログイン', '不正出金', '勝手に', '身に覚えのない', '覚えのない', '覚えがない', '知らない出金', '知らないログイン', '自分じゃない', '自分ではない', '私じゃない',
  // ko
  '해킹', '도난', '탈취', '도용', '훔쳐', '털렸', '무단', '제가 한 게 아니', '내가 한 게 아니', '누가 내', '누가 제', '누군가', '모르는 출금', '모르는 로그인', '안 한 출금', '하지 않은 출금', '안 한 거래',
];

/** The thresholds of {@link FaqBot.decide}. */
export interface FaqThresholds {
  /** Coverage (0..1) of the best article needed to answer with it. @default 0.3 */
  answer: number;
  /** Coverage needed to offer an article as a suggestion; below it the bot says it does not know. @default 0.25 */
  suggest: number;
  /**
   * When the runner-up scores at least this share of the best article's score, the bot cannot
   * tell them apart and suggests both instead of answering. @default 0.9
   */
  ambiguity: number;
}

/** The defaults of {@link FaqThresholds}. */
export const DEFAULT_FAQ_THRESHOLDS: FaqThresholds = { answer: 0.3, suggest: 0.25, ambiguity: 0.9 };

/** What the bot decided for one visitor message. */
export interface FaqDecision {
  /**
   * `answer`: one article, confident. `suggest`: up to three likely articles to pick from.
   * `none`: it does not know (it says so and offers a person). `handoff`: the visitor asked for
   * a person. `urgent`: a security case: hand off with top priority.
   */
  kind: 'answer' | 'suggest' | 'none' | 'handoff' | 'urgent';
  /** With `answer`: the article. */
  articleId?: string;
  /** The best article's coverage of the message (0..1); 1 for a matched hand-off or urgent phrase. */
  confidence: number;
  /** Article ids: the candidates of `suggest`, or related articles beside an `answer`. */
  suggestions: string[];
}

/** Options for {@link FaqBot}. */
export interface FaqBotOptions {
  kb: KnowledgeBase;
  /** @default DEFAULT_FAQ_THRESHOLDS */
  thresholds?: Partial<FaqThresholds>;
  /** @default DEFAULT_BOT_MESSAGES */
  messages?: Record<string, FaqBotMessages>;
  /** @default DEFAULT_HANDOFF_PHRASES */
  handoffPhrases?: readonly string[];
  /** Security cases: hand off at once, urgent. @default DEFAULT_URGENT_PHRASES */
  urgentPhrases?: readonly string[];
}

/**
 * The default bot: answers from a knowledge base, in every language at once. For each visitor
 * message it decides (see {@link FaqBot.decide}): a security case hands off as urgent, a request
 * for a person hands off, a confident match answers with the article, a likely one suggests up
 * to three, and anything else gets "I don't know — talk to a person?". The knowledge base can
 * be swapped at run time ({@link FaqBot.setKnowledgeBase}), which is how the relay reloads it.
 *
 * @example
 * const bot = new FaqBot({ kb: await loadKnowledgeBase('kb/default.json') });
 * bot.decide('USDT 充值没到账', 'zh'); // { kind: 'answer', articleId: 'deposit-not-arrived', confidence: 0.8, suggestions: [] }
 */
export class FaqBot implements Bot {
  #index: FaqIndex;
  readonly #thresholds: FaqThresholds;
  readonly #messages: Record<string, FaqBotMessages>;
  readonly #handoff: (text: string) => boolean;
  readonly #urgent: (text: string) => boolean;

  constructor(options: FaqBotOptions) {
    this.#urgent = phraseMatcher(options.urgentPhrases ?? DEFAULT_URGENT_PHRASES);
    this.#thresholds = { ...DEFAULT_FAQ_THRESHOLDS, ...options.thresholds };
    this.#messages = options.messages ?? DEFAULT_BOT_MESSAGES;
    this.#handoff = phraseMatcher(options.handoffPhrases ?? DEFAULT_HANDOFF_PHRASES);
    this.#index = new FaqIndex(options.kb);
  }

  /** The knowledge base in use. */
  get kb(): KnowledgeBase {
    return this.#index.kb;
  }

  /** Answer from another knowledge base from now on (the index is built before the swap). */
  setKnowledgeBase(kb: KnowledgeBase): void {
    this.#index = new FaqIndex(kb);
  }

  /** True when the text asks for a person. */
  wantsHuman(text: string): boolean {
    return this.#handoff(text);
  }

  /** True when the text names a security case (see {@link DEFAULT_URGENT_PHRASES}). */
  isUrgent(text: string): boolean {
    return this.#urgent(text);
  }

  /** Articles for a text, best first (the help center's search). */
  search(text: string, options?: SearchOptions): ArticleHit[] {
    return this.#index.search(text, options);
  }

  /**
   * Decide what to do with a visitor message; `lang` (the widget's language) is a hint.
   *
   * @example
   * bot.decide('I want to talk to a real person', 'en'); // { kind: 'handoff', confidence: 1, suggestions: [] }
   */
  decide(text: string, lang?: string): FaqDecision {
    if (this.isUrgent(text)) return { kind: 'urgent', confidence: 1, suggestions: [] };
    if (this.wantsHuman(text)) return { kind: 'handoff', confidence: 1, suggestions: [] };
    const t = this.#thresholds;
    const hits = this.#index.search(text, { ...(lang ? { lang } : {}), limit: 4 });
    const top = hits[0];
    if (!top || top.coverage < t.suggest) return { kind: 'none', confidence: top?.coverage ?? 0, suggestions: [] };
    const likely = hits.filter((h) => h.coverage >= t.suggest);
    const close = hits[1] !== undefined && hits[1].score >= top.score * t.ambiguity;
    if (top.coverage >= t.answer && !close) {
      return { kind: 'answer', articleId: top.article.id, confidence: top.coverage, suggestions: likely.slice(1, 4).map((h) => h.article.id) };
    }
    return { kind: 'suggest', confidence: top.coverage, suggestions: likely.slice(0, 3).map((h) => h.article.id) };
  }

  async reply({ text, lang }: BotInput): Promise<BotReply> {
    const say = this.#messages[lang] ?? this.#messages.en ?? DEFAULT_BOT_MESSAGES.en!;
    const decision = this.decide(text, lang);
    const refs = (ids: string[]): ArticleRef[] =>
      ids.flatMap((id) => {
        const a = this.#index.article(id);
        return a ? [{ id, title: localized(a.title, lang) }] : [];
      });
    switch (decision.kind) {
      case 'urgent':
        return { text: say.urgent, handoff: true, urgent: true };
      case 'handoff':
        return { text: say.handoff, handoff: true };
      case 'none':
        return { text: say.noAnswer };
      case 'suggest':
        return { text: say.suggest, suggestions: refs(decision.suggestions) };
      case 'answer': {
        const article = this.#index.article(decision.articleId!)!;
        const related = refs(decision.suggestions);
        return { text: localized(article.body, lang), articleId: article.id, ...(related.length ? { suggestions: related } : {}) };
      }
    }
  }
}

/** The text in `lang` when the record has it, else English (the loader guarantees `en`). */
export function localized(record: Record<string, string>, lang: string): string {
  return record[lang] ?? record.en ?? Object.values(record)[0] ?? '';
}
