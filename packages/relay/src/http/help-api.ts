import { ErrorCode, HELP_LIMITS } from '@parley/protocol';
import type { Context, Hono } from 'hono';
import type { HelpCenter } from '../bot/help.js';
import type { KeyedBuckets } from '../gateway/index.js';
import { apiError, ID, LANG_TAG, setHeaders } from './common.js';

/** What the help center's HTTP endpoints need. */
export interface HelpApiOptions {
  helpCenter: HelpCenter;
  /** Requests per client address (search as you type sends one per pause in typing). */
  limit: KeyedBuckets;
  /** The client's address, the key of `limit`. */
  address: (c: Context) => string;
}

/** The knowledge base is keyed by primary subtags (`zh`, not `zh-CN`); no or a bad `lang` is English. */
const langOf = (c: Context) => {
  const lang = c.req.query('lang');
  return lang && LANG_TAG.test(lang) ? lang.split('-')[0]!.toLowerCase() : 'en';
};

/**
 * The help center, public like `/api/desk` (the widget calls it from any site, before any
 * chat; no cookies or tokens are involved, so `Access-Control-Allow-Origin: *` exposes
 * nothing), GET only (a GET without custom headers needs no CORS preflight):
 * - `GET /api/help?lang=xx`: `{categories: [{id, title, articles: [{id, title}]}]}`;
 * - `GET /api/help/search?q=…&lang=xx`: `{results: [{id, title, category, snippet}]}`, at
 *   most {@link HELP_LIMITS}.maxResults; `q` is trimmed, empty gives no results, longer than
 *   `maxQueryChars` is a 400 `bad_frame`;
 * - `GET /api/help/articles/:id?lang=xx`: `{id, category, title, body}`, or 404 `not_found`.
 * Titles and bodies come in `lang`, else English; the search looks in every language. Each
 * client address gets `limit` requests (a 429 `rate_limited` with `Retry-After: 1` past it).
 *
 * @example
 * mountHelpApi(app, { helpCenter, limit: new KeyedBuckets(10, 40, 50_000), address: (c) => c.req.header('x-real-ip') ?? '' });
 * // curl 'http://localhost:8787/api/help/search?q=deposit&lang=en'
 */
export function mountHelpApi<E extends object>(app: Hono<E>, options: HelpApiOptions): void {
  const { helpCenter } = options;
  const headers = { 'Cache-Control': 'no-cache' };
  const cors = async (c: Context<E>, next: () => Promise<void>) => {
    await next();
    // Errors too: the widget reads a 404's body from another origin.
    setHeaders(c, { 'Access-Control-Allow-Origin': '*' });
  };
  const limited = async (c: Context<E>, next: () => Promise<void>) => {
    if (options.limit.get(options.address(c)).take()) return next();
    return c.json(apiError(ErrorCode.RateLimited, `too many help requests: at most ${options.limit.ratePerSecond} per second`), 429, {
      ...headers,
      'Retry-After': '1',
    });
  };
  for (const path of ['/api/help', '/api/help/*']) app.use(path, cors, limited);

  app.get('/api/help', (c) => c.json(helpCenter.index(langOf(c)), 200, headers));

  app.get('/api/help/search', (c) => {
    const q = (c.req.query('q') ?? '').trim();
    if (q.length > HELP_LIMITS.maxQueryChars) {
      return c.json(apiError(ErrorCode.BadFrame, `q is longer than ${HELP_LIMITS.maxQueryChars} characters`), 400, headers);
    }
    const results = q ? helpCenter.search(q, langOf(c), HELP_LIMITS.maxResults).slice(0, HELP_LIMITS.maxResults) : [];
    return c.json({ results }, 200, headers);
  });

  app.get('/api/help/articles/:id', (c) => {
    const id = c.req.param('id');
    const article = ID.test(id) ? helpCenter.article(id, langOf(c)) : null;
    return article ? c.json(article, 200, headers) : c.json(apiError(ErrorCode.NotFound, 'no help article with this id'), 404, headers);
  });
}
