/** Entry of dist/parley-lang-zh.js: the widget's zh strings, loaded on demand by parley-widget.js. */
import { ZH } from './zh.js';
import { registerPack } from './register.js';

registerPack('zh', ZH);
