/**
 * @parley/widget: the visitor chat widget (Preact, Shadow DOM) for apps that bundle it.
 * Sites without a bundler use the script tag instead (dist/parley.js, see the README).
 *
 * @example
 * import { mountWidget } from '@parley/widget';
 * const chat = mountWidget({ relay: 'https://chat.example.com' });
 */
export { mountWidget } from './mount.js';
export type { WidgetOptions, WidgetHandle } from './mount.js';
export { LANGS, LANG_NAMES, STRINGS, matchLang, stringsFor, format } from './i18n.js';
export type { Lang, Strings, StringOverrides } from './i18n.js';
export { VERSION, buildContext } from './context.js';
export type { PageFacts } from './context.js';
export type { LangStorage } from './model.js';
