/** Entry of dist/parley-lang-ru.js: the widget's ru strings, loaded on demand by parley-widget.js. */
import { RU } from './ru.js';
import { registerPack } from './register.js';

registerPack('ru', RU);
