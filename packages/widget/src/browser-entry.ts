/**
 * Entry of dist/parley-widget.js, the full widget as one script (Preact and the client
 * bundled, English only: other languages load on demand as parley-lang-xx.js from the same
 * folder). The loader (dist/parley.js) fetches it on first use and then calls
 * `window.ParleyWidget.mountWidget(options)`; a page may also load it directly and do the same.
 */
import { VERSION } from './context.js';
import { scriptLangs } from './lang/script-source.js';
import { mountWith, type WidgetHandle, type WidgetOptions } from './mount.js';
import { WIDGET_GLOBAL } from './shared.js';

/** What parley-widget.js puts on `window.ParleyWidget`: the loader<->widget handshake. */
export interface WidgetGlobal {
  mountWidget: (options: WidgetOptions) => WidgetHandle;
  version: string;
}

// `currentScript` is only set while this file first runs: read where we came from now.
const me = document.currentScript as HTMLScriptElement | null;
const langs = scriptLangs(document, me?.src || undefined, me?.nonce || undefined);

(window as unknown as Record<string, WidgetGlobal>)[WIDGET_GLOBAL] = {
  mountWidget: (options) => mountWith(options, langs),
  version: VERSION,
};
