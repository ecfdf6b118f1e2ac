/**
 * Entry of dist/parley-lang-ko.js (the chat's ko strings) and dist/parley-lang-ko-desk.js
 * (with the desk's strings too), loaded on demand by parley-widget.js or parley-widget-desk.js.
 */
import type { Strings } from '../i18n.js';
import { DESK } from '../variant.js';
import { KO, KO_CHAT } from './ko.js';
import { registerPack } from './register.js';

// The chat-only build never reads a desk string, so its pack leaves them out.
registerPack('ko', DESK ? KO : (KO_CHAT as Strings));
