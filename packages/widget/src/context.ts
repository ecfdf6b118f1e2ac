import { LIMITS, type VisitorContext } from '@parley/protocol';

/**
 * The widget's version, sent as `sdkVersion` so agents can tell which widget a visitor
 * runs. Kept equal to package.json's version (a test checks it).
 *
 * @example
 * console.log(`Parley widget ${VERSION}`);
 */
export const VERSION = '0.1.0';

/**
 * The browser facts the context is built from; injectable so tests need no real page.
 *
 * @example
 * buildContext({ href: 'https://ex.com/deposit', width: 390, height: 844 }, {});
 */
export interface PageFacts {
  href?: string;
  referrer?: string;
  userAgent?: string;
  language?: string;
  width?: number;
  height?: number;
}

/** Read {@link PageFacts} from the current page; every read is guarded (SSR, sandboxed frames). */
export function readPage(): PageFacts {
  const g = globalThis as Partial<typeof globalThis>;
  return {
    href: g.location?.href,
    referrer: g.document?.referrer,
    userAgent: g.navigator?.userAgent,
    language: g.navigator?.language,
    width: g.screen?.width,
    height: g.screen?.height,
  };
}

const clip = (s: string) => s.slice(0, LIMITS.maxContextChars);

/**
 * The visitor context sent with `hello`, bounded so the relay never refuses the hello:
 * every string is cut to `LIMITS.maxContextChars`, attributes beyond `LIMITS.maxAttributes`
 * or with keys over 64 characters are dropped with a console warning, and non-string
 * attribute values are turned into strings. The URL loses its `#fragment`, because OAuth
 * implicit flows put access tokens there and an agent never needs it.
 *
 * @example
 * buildContext(readPage(), { appVersion: '2.3.0', attributes: { plan: 'pro' } });
 */
export function buildContext(
  page: PageFacts,
  extra: { appVersion?: string; attributes?: Record<string, unknown> },
): VisitorContext {
  const ctx: VisitorContext = { sdkVersion: VERSION };
  if (page.href) ctx.url = clip(page.href.split('#')[0]!);
  if (page.referrer) ctx.referrer = clip(page.referrer);
  if (page.userAgent) ctx.userAgent = clip(page.userAgent);
  if (page.language) ctx.language = clip(page.language);
  if (page.width && page.height) ctx.screen = `${page.width}x${page.height}`;
  if (typeof extra.appVersion === 'string') ctx.appVersion = clip(extra.appVersion);
  const attrs = extra.attributes;
  if (attrs && typeof attrs === 'object') {
    const out: Record<string, string> = {};
    let count = 0;
    for (const [key, value] of Object.entries(attrs)) {
      if (value === undefined || value === null) continue;
      if (key.length > 64 || count >= LIMITS.maxAttributes) {
        console.warn(`Parley: attribute "${key.slice(0, 64)}" dropped (keys up to 64 characters, at most ${LIMITS.maxAttributes} attributes)`);
        continue;
      }
      out[key] = clip(typeof value === 'string' ? value : JSON.stringify(value) ?? String(value));
      count++;
    }
    if (count) ctx.attributes = out;
  }
  return ctx;
}
