/** Entry of dist/parley-lang-ja.js: the widget's ja strings, loaded on demand by parley-widget.js. */
import { JA } from './ja.js';
import { registerPack } from './register.js';

registerPack('ja', JA);
