/**
 * Entry of dist/parley-lang-ru.js (the chat's ru strings) and dist/parley-lang-ru-desk.js
 * (with the desk's strings too), loaded on demand by parley-widget.js or parley-widget-desk.js.
 */
import type { Strings } from '../i18n.js';
import { DESK } from '../variant.js';
import { RU, RU_CHAT } from './ru.js';
import { registerPack } from './register.js';

// The chat-only build never reads a desk string, so its pack leaves them out.
registerPack('ru', DESK ? RU : (RU_CHAT as Strings));
