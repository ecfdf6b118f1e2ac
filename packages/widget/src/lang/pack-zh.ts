/**
 * Entry of dist/parley-lang-zh.js (the chat's zh strings) and dist/parley-lang-zh-desk.js
 * (with the desk's strings too), loaded on demand by parley-widget.js or parley-widget-desk.js.
 */
import type { Strings } from '../i18n.js';
import { DESK } from '../variant.js';
import { ZH, ZH_CHAT } from './zh.js';
import { registerPack } from './register.js';

// The chat-only build never reads a desk string, so its pack leaves them out.
registerPack('zh', DESK ? ZH : (ZH_CHAT as Strings));
