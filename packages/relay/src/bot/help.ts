import { HELP_LIMITS, type HelpArticle, type HelpIndex, type HelpSearchResult } from '@parley/protocol';
import { localized } from './faq.js';
import type { Article, KnowledgeBase } from './kb.js';

/**
 * The help center the widget browses (`/api/help`, SPEC.md "Help center"): the knowledge
 * base's categories and articles in one language, and a search over every language.
 *
 * @example
 * const help: HelpCenter = createHelpCenter(() => bot.kb, (q, lang) => bot.search(q, { lang }).map((h) => ({ id: h.article.id, score: h.score })));
 * help.search('deposit', 'en', 8); // [{ id: 'deposit-not-arrived', title: 'My deposit has not arrived', … }]
 */
export interface HelpCenter {
  /** Every category that has articles, in the knowledge base's order, with its articles' titles. */
  index(lang: string): HelpIndex;
  /** At most `limit` articles for `query`, best first; `lang` picks the language of titles and snippets. */
  search(query: string, lang: string, limit: number): HelpSearchResult[];
  /** One article in `lang` (else English), or `null` when no article has this id. */
  article(id: string, lang: string): HelpArticle | null;
}

/**
 * The default {@link HelpCenter} over a knowledge base. `kb` is read on every call, so a
 * knowledge base reloaded at run time is served at once. `search` ranks articles for a
 * query (the FAQ bot's search in the relay, the last word as a prefix); ids it returns that the knowledge base no longer
 * has are skipped. Search-as-you-type sends word beginnings ("depo") that a matcher working
 * on whole words does not rank, so articles whose title, in any language, contains the query
 * follow the matcher's results.
 *
 * @example
 * const help = createHelpCenter(() => faqBot.kb, (q, lang) => faqBot.search(q, { lang, prefix: true }).map((h) => ({ id: h.article.id, score: h.score })));
 */
export function createHelpCenter(
  kb: () => KnowledgeBase,
  search: (query: string, lang: string) => { id: string; score: number }[],
): HelpCenter {
  return {
    index(lang) {
      const { categories, articles } = kb();
      return {
        categories: categories
          .map((c) => ({
            id: c.id,
            title: localized(c.title, lang),
            articles: articles.filter((a) => a.category === c.id).map((a) => ({ id: a.id, title: localized(a.title, lang) })),
          }))
          // A category without articles has nothing to browse.
          .filter((c) => c.articles.length > 0),
      };
    },
    search(query, lang, limit) {
      const q = query.trim();
      if (!q || limit <= 0) return [];
      const { articles } = kb();
      const byId = new Map(articles.map((a) => [a.id, a]));
      const found: Article[] = [];
      const add = (a: Article | undefined) => {
        if (a && !found.includes(a)) found.push(a);
      };
      for (const hit of [...search(q, lang)].sort((a, b) => b.score - a.score)) add(byId.get(hit.id));
      const needle = q.toLowerCase();
      for (const a of articles) if (Object.values(a.title).some((t) => t.toLowerCase().includes(needle))) add(a);
      return found.slice(0, limit).map((a) => ({
        id: a.id,
        title: localized(a.title, lang),
        category: a.category,
        snippet: snippet(localized(a.body, lang)),
      }));
    },
    article(id, lang) {
      const a = kb().articles.find((x) => x.id === id);
      return a ? { id: a.id, category: a.category, title: localized(a.title, lang), body: localized(a.body, lang) } : null;
    },
  };
}

/**
 * The start of a body, at most {@link HELP_LIMITS}.maxSnippetChars characters with the "…":
 * cut at the last space when the text has spaces (CJK text has none and is cut anywhere),
 * never inside a surrogate pair.
 */
export function snippet(body: string): string {
  const text = body.replace(/\s+/g, ' ').trim();
  const max = HELP_LIMITS.maxSnippetChars;
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const space = cut.lastIndexOf(' ');
  if (space > max / 2) cut = cut.slice(0, space);
  return `${cut.trimEnd()}…`;
}
