import * as v from 'valibot';
import { LIMITS } from './frames.js';

/**
 * Bounds of the help center's HTTP API (`/api/help`, SPEC.md "Help center"). The relay
 * refuses a longer query with 400; the widget's search field stops at the same length.
 */
export const HELP_LIMITS = {
  /** Longest search query, in characters, after trimming. */
  maxQueryChars: 200,
  /** Most results in one search answer. */
  maxResults: 8,
  /** Longest snippet of an article body in a search result. */
  maxSnippetChars: 160,
  /** Longest article title (the knowledge base allows no longer). */
  maxTitleChars: 200,
} as const;

const id = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'ids use 1-64 of A-Z a-z 0-9 _ -'));
const title = v.pipe(v.string(), v.maxLength(HELP_LIMITS.maxTitleChars));

/** An article as a help index or category lists it: its id and title. */
export const HelpArticleRefSchema = v.object({ id, title });

/** A category of the help center with its articles' titles, in the asked language. */
export const HelpCategorySchema = v.object({ id, title, articles: v.array(HelpArticleRefSchema) });

/**
 * `GET /api/help?lang=xx`: every category with its articles' titles (in `lang`, else English).
 *
 * @example
 * const index: HelpIndex = { categories: [{ id: 'funding', title: 'Deposits', articles: [{ id: 'deposit-not-arrived', title: 'My deposit has not arrived' }] }] };
 */
export const HelpIndexSchema = v.object({ categories: v.array(HelpCategorySchema) });

/** One hit of a help search: the article, its category id and the start of its body as plain text. */
export const HelpSearchResultSchema = v.object({
  id,
  title,
  category: id,
  snippet: v.pipe(v.string(), v.maxLength(HELP_LIMITS.maxSnippetChars)),
});

/**
 * `GET /api/help/search?q=…&lang=xx`: at most {@link HELP_LIMITS}.maxResults hits, best first.
 *
 * @example
 * const found: HelpSearchResponse = { results: [{ id: 'fees', title: 'Fees', category: 'fees', snippet: 'Trading fees are…' }] };
 */
export const HelpSearchResponseSchema = v.object({
  results: v.pipe(v.array(HelpSearchResultSchema), v.maxLength(HELP_LIMITS.maxResults)),
});

/**
 * `GET /api/help/articles/:id?lang=xx`: one article. `body` is plain text: show it as text,
 * never as HTML.
 *
 * @example
 * const a: HelpArticle = { id: 'fees', category: 'fees', title: 'Fees', body: 'Trading fees are…' };
 */
export const HelpArticleSchema = v.object({
  id,
  category: id,
  title,
  body: v.pipe(v.string(), v.maxLength(LIMITS.maxTextChars)),
});

export type HelpArticleRef = v.InferOutput<typeof HelpArticleRefSchema>;
export type HelpCategory = v.InferOutput<typeof HelpCategorySchema>;
export type HelpIndex = v.InferOutput<typeof HelpIndexSchema>;
export type HelpSearchResult = v.InferOutput<typeof HelpSearchResultSchema>;
export type HelpSearchResponse = v.InferOutput<typeof HelpSearchResponseSchema>;
export type HelpArticle = v.InferOutput<typeof HelpArticleSchema>;
