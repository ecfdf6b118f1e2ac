/**
 * Entry of dist/parley-lang-ja.js (the chat's ja strings) and dist/parley-lang-ja-desk.js
 * (with the desk's strings too), loaded on demand by parley-widget.js or parley-widget-desk.js.
 */
import type { Strings } from '../i18n.js';
import { DESK } from '../variant.js';
import { JA, JA_CHAT } from './ja.js';
import { registerPack } from './register.js';

// The chat-only build never reads a desk string, so its pack leaves them out.
registerPack('ja', DESK ? JA : (JA_CHAT as Strings));
