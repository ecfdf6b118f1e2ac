/**
 * The few pieces the script-tag loader and the full widget share: the languages, the
 * launcher's look and label, and the name of the handshake global. The loader bundles
 * this file, so it must stay tiny and import nothing (budget: 2 KB gzip for the loader).
 */

/**
 * The languages the widget speaks, in the order the language picker shows them.
 *
 * @example
 * LANGS.includes('ja'); // true
 */
export const LANGS = ['en', 'zh', 'es', 'ru', 'ja', 'ko'] as const;

/**
 * One of {@link LANGS}.
 *
 * @example
 * const lang: Lang = matchLang(navigator.language) ?? 'en';
 */
export type Lang = (typeof LANGS)[number];

/**
 * Map a BCP 47 tag (`zh-Hant-TW`, `EN`, `pt`) to a language the widget speaks, by its
 * primary subtag; `null` when it speaks none of them (or the input is not a string).
 *
 * @example
 * matchLang('es-MX'); // 'es'
 * matchLang('fr');    // null
 */
export function matchLang(tag: unknown): Lang | null {
  const primary = typeof tag === 'string' ? tag.split(/[-_]/)[0]!.toLowerCase() : '';
  return (LANGS as readonly string[]).includes(primary) ? (primary as Lang) : null;
}

/**
 * The launcher's accessible name per language. The loader shows the launcher before the
 * full string table is downloaded, so this one label lives here and i18n.ts reuses it.
 */
export const OPEN_LABELS: Record<Lang, string> = {
  en: 'Open chat',
  zh: '打开聊天',
  es: 'Abrir chat',
  ru: 'Открыть чат',
  ja: 'チャットを開く',
  ko: '채팅 열기',
};

/**
 * Reset for a shadow host. `!important` because page rules that match the host element
 * (`* {…}`, `parley-chat {…}`) would otherwise beat `:host` rules; `all` leaves
 * `direction` and `unicode-bidi` alone by definition, so those are reset explicitly.
 */
export const HOST_CSS = ':host{all:initial!important;direction:ltr!important;unicode-bidi:normal!important}';

/** The launcher bubble, identical in the loader and in the widget so the hand-over is invisible. */
export const LAUNCHER_CSS =
  '.launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;width:56px;height:56px;margin:0;padding:0;' +
  'border:0;border-radius:50%;background:#2563eb;color:#fff;box-shadow:0 4px 14px rgba(0,0,0,.25);cursor:pointer;' +
  'display:flex;align-items:center;justify-content:center}' +
  '.launcher:hover{background:#1d4ed8}.launcher:focus-visible{outline:3px solid #93c5fd;outline-offset:2px}' +
  '.launcher svg{width:28px;height:28px;fill:currentColor}';

/** The chat-bubble icon's SVG path (24x24 view box). */
export const ICON_PATH = 'M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z';

/**
 * Name of the global the full widget bundle (parley-widget.js) defines, which the loader
 * reads once that script has loaded: `window.ParleyWidget.mountWidget(options)`.
 */
export const WIDGET_GLOBAL = 'ParleyWidget';
