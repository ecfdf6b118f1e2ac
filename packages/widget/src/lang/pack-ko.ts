/** Entry of dist/parley-lang-ko.js: the widget's ko strings, loaded on demand by parley-widget.js. */
import { KO } from './ko.js';
import { registerPack } from './register.js';

registerPack('ko', KO);
