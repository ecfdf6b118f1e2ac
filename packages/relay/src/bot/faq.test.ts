import { fileURLToPath } from 'node:url';
import type { ConversationSummary } from '@parley/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { FaqBot } from './faq.js';
import { loadKnowledgeBase, type KnowledgeBase } from './kb.js';
import { containsPhrase, normalize, parseText, stripNoise, terms } from './text.js';

const KB_FILE = fileURLToPath(new URL('../../kb/default.json', import.meta.url));
const conversation: ConversationSummary = { id: 'c1', status: 'bot', createdAt: 0, updatedAt: 0, lastSeq: 1 };

let kb: KnowledgeBase;
let bot: FaqBot;
beforeAll(async () => {
  kb = await loadKnowledgeBase(KB_FILE);
  bot = new FaqBot({ kb });
});

describe('text matching', () => {
  it('normalises case, width and accents but keeps Hangul and kana intact', () => {
    expect(normalize('Dépôt ÉTÉ ＡＢＣ')).toBe('depot ete abc');
    expect(normalize('상담원')).toBe('상담원');
    expect(normalize('ガイド')).toBe('ガイド');
  });

  it('keeps a word and its stem for spaced text, and character bigrams for CJK text', () => {
    expect(terms('Where is my deposit?')).toEqual(['deposit', 'depos']);
    expect(terms('充值没到账')).toEqual(['充值', '值没', '没到', '到账']);
    expect(parseText('USDT 充值没到账')).toEqual({ words: [['usdt']], runs: [['充', '值', '没', '到', '账']], cjkWords: [] });
  });

  it('adds the dictionary words Intl.Segmenter finds in Japanese, without grammar', () => {
    expect(terms('リセットしたい')).toContain('リセット');
    expect(terms('リセットしたい')).not.toContain('したい');
  });

  it('folds Spanish and Russian written without accents or ё onto the same terms', () => {
    expect(terms('depósito retención')).toEqual(terms('deposito retencion'));
    expect(terms('Ещё счёт')).toEqual(terms('еще счет'));
  });

  it('strips transaction ids, addresses, amounts, e-mails and links', () => {
    const noisy = 'txid 0x3f9ab2c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2 TQrZ9wBzk1XyQ8sV3uEYv6hJpUqT7LmN2a 1,250.50 me@x.io https://a.example/x';
    expect(stripNoise(noisy).trim()).toBe('txid');
    // Short numbers and words with digits stay: 2fa, usdt, trc20.
    expect(terms('2FA for TRC20')).toEqual(['2fa', 'trc20']);
  });

  it('matches phrases at word starts, and CJK phrases anywhere', () => {
    expect(containsPhrase('Can I talk to your AGENTS?', 'agent')).toBe(true);
    expect(containsPhrase('a reagent', 'agent')).toBe(false);
    expect(containsPhrase('我要转人工', '人工')).toBe(true);
  });
});

describe('FaqBot answers from the knowledge base', () => {
  const cases: [lang: string, text: string, article: string][] = [
    ['en', 'Hi, my deposit still has not arrived after an hour', 'deposit-not-arrived'],
    ['en', 'why is my withdrawal still pending?', 'withdrawal-pending'],
    ['en', 'I lost my phone and my authenticator', 'reset-2fa'],
    ['en', 'my KYC got rejected', 'kyc-rejected'],
    ['en', 'how much are the trading fees', 'fees'],
    ['en', 'I forgot my password', 'password-reset'],
    ['en', 'someone on telegram asked for my seed phrase', 'account-security'],
    ['zh', '我的充值还没有到账', 'deposit-not-arrived'],
    ['zh', '提现怎么一直在处理中', 'withdrawal-pending'],
    ['es', '¿Cuánto cuesta la comisión de retiro?', 'fees'],
    ['es', 'Mi depósito no ha llegado todavía', 'deposit-not-arrived'],
    ['ru', 'Я забыл пароль от аккаунта', 'password-reset'],
    ['ru', 'Почему отклонили мою верификацию?', 'kyc-rejected'],
    ['ja', '入金が反映されていません', 'deposit-not-arrived'],
    ['ja', '二段階認証のスマホをなくしました', 'reset-2fa'],
    ['ko', '출금이 계속 대기 중이에요', 'withdrawal-pending'],
    ['ko', '비밀번호를 잊어버렸어요', 'password-reset'],
  ];
  it.each(cases)('[%s] %s -> %s', async (lang, text, article) => {
    const reply = await bot.reply({ conversation, text, lang });
    expect(reply.articleId).toBe(article);
    expect(reply.handoff).toBeUndefined();
  });

  it('answers in the conversation’s language when the article has it', async () => {
    const reply = await bot.reply({ conversation, text: 'I forgot my password', lang: 'ja' });
    expect(reply.text).toBe(kb.articles.find((a) => a.id === 'password-reset')!.body.ja);
  });

  it('falls back to English for a language the article does not have', async () => {
    const reply = await bot.reply({ conversation, text: 'I forgot my password', lang: 'de' });
    expect(reply.text).toBe(kb.articles.find((a) => a.id === 'password-reset')!.body.en);
  });

  it('says it does not know and offers a person below the threshold', async () => {
    const reply = await bot.reply({ conversation, text: 'What is the weather like on Mars tomorrow?', lang: 'en' });
    expect(reply.articleId).toBeUndefined();
    expect(reply.handoff).toBeUndefined();
    expect(reply.text).toMatch(/talk to a person/i);
  });

  it('says so in the visitor’s language', async () => {
    const reply = await bot.reply({ conversation, text: '火星の天気は？', lang: 'ja' });
    expect(reply.articleId).toBeUndefined();
    expect(reply.text).toContain('担当者');
  });

  it('offers related articles as suggestions with titles in the visitor’s language', async () => {
    const reply = await bot.reply({ conversation, text: 'withdrawal fee', lang: 'es' });
    const ids = [reply.articleId, ...(reply.suggestions ?? []).map((s) => s.id)];
    expect(ids).toContain('fees');
    expect(ids).toContain('withdrawal-pending');
    for (const s of reply.suggestions ?? []) expect(s.title).toBe(kb.articles.find((a) => a.id === s.id)!.title.es);
  });
});

describe('FaqBot hands off when the visitor asks for a person', () => {
  const asks: [lang: string, text: string][] = [
    ['en', 'can I talk to an agent please'],
    ['en', 'I want a human'],
    ['en', 'let me speak to a real person'],
    ['zh', '转人工'],
    ['zh', '我要找客服'],
    ['ja', 'オペレーターと話したい'],
    ['ko', '상담원 연결해 주세요'],
    ['es', 'quiero hablar con un agente'],
    ['ru', 'позовите оператора'],
  ];
  it.each(asks)('[%s] %s', async (lang, text) => {
    const reply = await bot.reply({ conversation, text, lang });
    expect(reply.handoff).toBe(true);
    expect(reply.articleId).toBeUndefined();
  });

  it('does not hand off on ordinary questions', async () => {
    expect(bot.wantsHuman('my deposit has not arrived')).toBe(false);
    expect(bot.wantsHuman('where is the management page')).toBe(false);
  });
});

describe('FaqBot flags security cases as urgent', () => {
  const conversation = { id: 'c1', status: 'bot' as const, createdAt: 0, updatedAt: 0, lastSeq: 0 };
  it.each([
    ['en', 'Help, my account was taken over!'],
    ['en', 'someone stole my BTC, funds stolen'],
    ['zh', '我的账号被盗了'],
    ['ru', 'мой аккаунт взломали'],
  ])('[%s] %s', async (lang, text) => {
    const reply = await bot.reply({ conversation, text, lang });
    expect(reply).toMatchObject({ handoff: true, urgent: true });
  });

  it('does not flag ordinary questions or ordinary hand-offs', async () => {
    expect(bot.isUrgent('how do I take over a limit order')).toBe(false);
    expect((await bot.reply({ conversation, text: 'I want to talk to a person', lang: 'en' })).urgent).toBeUndefined();
  });
});

describe('FaqBot.decide', () => {
  it('answers a confident match, with related articles as suggestions', () => {
    const d = bot.decide('my deposit has not arrived', 'en');
    expect(d).toMatchObject({ kind: 'answer', articleId: 'deposit-not-arrived' });
    expect(d.confidence).toBeGreaterThanOrEqual(0.55);
    expect(d.suggestions).not.toContain('deposit-not-arrived');
  });

  it('finds the article through typos, missing accents and mixed languages', () => {
    expect(bot.decide('my depositt hasnt arived yet', 'en').articleId).toBe('deposit-not-arrived');
    expect(bot.decide('why is my withdrawl still pendng', 'en').articleId).toBe('withdrawal-pending');
    expect(bot.decide('mi deposito no llego', 'es').articleId).toBe('deposit-not-arrived');
    expect(bot.decide('USDT 充值没到账', 'zh').articleId).toBe('deposit-not-arrived');
  });

  it('ignores the transaction id pasted into a question', () => {
    const d = bot.decide('withdrawal pending 0x3f9ab2c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2 for 2 hours', 'en');
    expect(d).toMatchObject({ kind: 'answer', articleId: 'withdrawal-pending' });
  });

  it('takes the language as a hint, not a filter', async () => {
    // A visitor who picked English but writes Russian gets the right article, in English.
    const d = bot.decide('Я забыл пароль', 'en');
    expect(d.articleId).toBe('password-reset');
    const reply = await bot.reply({ conversation, text: 'Я забыл пароль', lang: 'en' });
    expect(reply.text).toBe(kb.articles.find((a) => a.id === 'password-reset')!.body.en);
  });

  it('says none for what the knowledge base does not cover, in any script', () => {
    const offTopic = [
      ['What is the weather like on Mars tomorrow?', 'en'],
      ['火星上有生命吗', 'zh'],
      ['火星の天気は？', 'ja'],
      ['화성에 생명체가 있나요', 'ko'],
      ['¿Quién ganó el mundial de fútbol?', 'es'],
    ];
    for (const [text, lang] of offTopic) {
      expect(bot.decide(text!, lang).kind, text).toBe('none');
    }
    // A word that only looks like one the articles use (marte, martes) may earn suggestions,
    // never an answer.
    expect(bot.decide('¿Hay vida en Marte?', 'es').kind).not.toBe('answer');
  });

  it('hands off and flags urgent before looking for an article', () => {
    expect(bot.decide('I want to talk to a real person about my deposit', 'en').kind).toBe('handoff');
    expect(bot.decide('someone withdrew all my BTC, it wasn’t me', 'en').kind).toBe('urgent');
    expect(bot.decide('unauthorized withdrawal pending on my account', 'en').kind).toBe('urgent');
    expect(bot.decide('勝手に出金されました', 'ja').kind).toBe('urgent');
    expect(bot.decide('누가 내 계정에 로그인했어요', 'ko').kind).toBe('urgent');
    expect(bot.decide('me robaron los fondos', 'es').kind).toBe('urgent');
    expect(bot.decide('this bot is useless', 'en').kind).toBe('handoff');
  });

  it('does not take a robot, or ordinary words, for a theft', () => {
    expect(bot.decide('¿Hay un robot de trading?', 'es').kind).not.toBe('urgent');
    expect(bot.decide('Это не является проблемой: где мой депозит?', 'ru').kind).not.toBe('urgent');
  });

  describe('thresholds', () => {
    // Two articles that share every word: the bot cannot tell them apart.
    const twin = (id: string, extra: string) => ({
      id,
      category: 'c',
      title: { en: `Card payment ${extra}` },
      body: { en: `About card payments ${extra}.` },
      questions: { en: [`card payment ${extra}`] },
      keywords: { en: [] },
    });
    const twins: KnowledgeBase = {
      version: 1,
      languages: ['en'],
      categories: [{ id: 'c', title: { en: 'C' } }],
      articles: [twin('declined', 'declined'), twin('refund', 'refund'), twin('limits', 'limits')],
    };

    it('suggests up to three when the best matches are too close to call', () => {
      const d = new FaqBot({ kb: twins }).decide('card payment', 'en');
      expect(d.kind).toBe('suggest');
      expect(d.suggestions.sort()).toEqual(['declined', 'limits', 'refund']);
    });

    it('are configurable', () => {
      const text = 'my deposit has not arrived';
      expect(new FaqBot({ kb, thresholds: { answer: 1.01 } }).decide(text, 'en').kind).toBe('suggest');
      expect(new FaqBot({ kb, thresholds: { answer: 1.01, suggest: 1.01 } }).decide(text, 'en').kind).toBe('none');
      // An ambiguity above 1 never finds two articles too close to call.
      expect(new FaqBot({ kb: twins, thresholds: { ambiguity: 2 } }).decide('card payment declined', 'en')).toMatchObject({ kind: 'answer', articleId: 'declined' });
    });
  });

  it('replies to a suggestion with titles in the visitor’s language', async () => {
    const reply = await new FaqBot({ kb, thresholds: { answer: 1.01 } }).reply({ conversation, text: 'my deposit has not arrived', lang: 'ja' });
    expect(reply.articleId).toBeUndefined();
    expect(reply.suggestions?.[0]).toEqual({ id: 'deposit-not-arrived', title: kb.articles.find((a) => a.id === 'deposit-not-arrived')!.title.ja });
  });

  it('tells the visitor what to do right now in an urgent case', async () => {
    const reply = await bot.reply({ conversation, text: '我的账号被盗了', lang: 'zh' });
    expect(reply).toMatchObject({ handoff: true, urgent: true });
    expect(reply.text).toContain('冻结');
  });

  it('answers from a new knowledge base after setKnowledgeBase', () => {
    const swapped = new FaqBot({ kb });
    const only: KnowledgeBase = {
      ...kb,
      articles: [{ ...kb.articles[0]!, id: 'only-one', title: { en: 'Staking rewards' }, questions: { en: ['when are staking rewards paid'] }, keywords: { en: ['staking'] } }],
    };
    swapped.setKnowledgeBase(only);
    expect(swapped.decide('when are staking rewards paid', 'en')).toMatchObject({ kind: 'answer', articleId: 'only-one' });
    expect(swapped.kb).toBe(only);
  });
});
