/** Entry of dist/parley-lang-es.js: the widget's es strings, loaded on demand by parley-widget.js. */
import { ES } from './es.js';
import { registerPack } from './register.js';

registerPack('es', ES);
