/**
 * @parley/widget: the visitor chat widget (Preact, Shadow DOM) for apps that bundle it.
 * Sites without a bundler use the script tag instead (dist/parley.js, see the README).
 *
 * @example
 * import { mountWidget } from '@parley/widget';
 * const chat = mountWidget({ relay: 'https://chat.example.com' });
 */
export { mountWidget } from './mount-all.js';
export type { WidgetOptions, WidgetHandle } from './mount.js';
export { LANGS, LANG_NAMES, matchLang, format } from './i18n.js';
export { STRINGS, stringsFor } from './lang/all.js';
export type { Lang, Strings, StringOverrides, LangSource } from './i18n.js';
export { VERSION, buildContext } from './context.js';
export type { PageFacts } from './context.js';
export type { LangStorage } from './model.js';
