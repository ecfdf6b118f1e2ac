/**
 * Entry of dist/parley-lang-es.js (the chat's es strings) and dist/parley-lang-es-desk.js
 * (with the desk's strings too), loaded on demand by parley-widget.js or parley-widget-desk.js.
 */
import type { Strings } from '../i18n.js';
import { DESK } from '../variant.js';
import { ES, ES_CHAT } from './es.js';
import { registerPack } from './register.js';

// The chat-only build never reads a desk string, so its pack leaves them out.
registerPack('es', DESK ? ES : (ES_CHAT as Strings));
