import { fileURLToPath } from 'node:url';
import type { ConversationSummary } from '@parley/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { FaqBot } from './faq.js';
import { loadKnowledgeBase, type KnowledgeBase } from './kb.js';
import { containsPhrase, features, normalize } from './text.js';

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

  it('uses words for spaced text and bigrams for CJK text', () => {
    expect([...features('Where is my deposit?')]).toEqual(['depos']);
    expect([...features('充值没到账')]).toEqual(['充值', '值没', '没到', '到账']);
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
