import { describe, expect, it } from 'vitest';
import { createHelpCenter, snippet } from './help.js';
import type { KnowledgeBase } from './kb.js';

const article = (id: string, category: string, en: string, extra: Record<string, string> = {}) => ({
  id,
  category,
  title: { en, ...extra },
  body: { en: `${en} body`, ...Object.fromEntries(Object.entries(extra).map(([l, t]) => [l, `${t} cuerpo`])) },
  questions: {},
  keywords: {},
});

const KB: KnowledgeBase = {
  version: 1,
  languages: ['en', 'es'],
  categories: [
    { id: 'funding', title: { en: 'Funding', es: 'Fondos' } },
    { id: 'empty', title: { en: 'Nothing here' } },
  ],
  articles: [article('deposit', 'funding', 'Deposit late', { es: 'Depósito tarde' }), article('withdraw', 'funding', 'Withdrawal stuck')],
};

describe('createHelpCenter', () => {
  it('lists categories with articles in lang, falling back to English, and leaves out empty ones', () => {
    const help = createHelpCenter(() => KB, () => []);
    expect(help.index('es')).toEqual({
      categories: [{ id: 'funding', title: 'Fondos', articles: [{ id: 'deposit', title: 'Depósito tarde' }, { id: 'withdraw', title: 'Withdrawal stuck' }] }],
    });
  });

  it('ranks by the injected search, skips ids the knowledge base lacks, adds title matches, and stops at the limit', () => {
    const asked: [string, string][] = [];
    const help = createHelpCenter(
      () => KB,
      (q, lang) => {
        asked.push([q, lang]);
        return [{ id: 'gone', score: 2 }, { id: 'withdraw', score: 1 }];
      },
    );
    expect(help.search('  dep  ', 'es', 8).map((r) => r.id)).toEqual(['withdraw', 'deposit']);
    expect(asked).toEqual([['dep', 'es']]);
    expect(help.search('dep', 'es', 1)).toEqual([{ id: 'withdraw', title: 'Withdrawal stuck', category: 'funding', snippet: 'Withdrawal stuck body' }]);
    expect(help.search('   ', 'en', 8)).toEqual([]);
  });

  it('reads the knowledge base on every call, so a reload is served at once', () => {
    let kb = KB;
    const help = createHelpCenter(() => kb, () => []);
    expect(help.article('new', 'en')).toBeNull();
    kb = { ...KB, articles: [...KB.articles, article('new', 'funding', 'New one')] };
    expect(help.article('new', 'es')).toEqual({ id: 'new', category: 'funding', title: 'New one', body: 'New one body' });
  });

  it('cuts snippets at 160 characters with an ellipsis, at a space when there is one', () => {
    const words = 'word '.repeat(60);
    const s = snippet(words);
    expect(s.length).toBeLessThanOrEqual(160);
    expect(s).toMatch(/word…$/);
    const cjk = '充值'.repeat(100);
    expect(snippet(cjk)).toHaveLength(160);
    expect(snippet('short\n\ntext')).toBe('short text');
    // Never half an emoji.
    expect(snippet('x' + '😀'.repeat(100)).at(-2)).not.toMatch(/[\uD800-\uDBFF]/);
  });
});
