/**
 * Entry of dist/parley.js, the script-tag loader:
 * <script async src="https://chat.example.com/parley.js" data-relay="https://chat.example.com" data-lang="en"></script>
 * `document.currentScript` is only set while this file first runs, so it is read here.
 */
import { startLoader } from './loader.js';

startLoader({ win: window, script: document.currentScript as HTMLScriptElement | null });
