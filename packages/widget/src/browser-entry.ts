/**
 * Entry of dist/parley-widget.js, the full widget as one script (Preact and the client
 * bundled). The loader (dist/parley.js) fetches it on first use and then calls
 * `window.ParleyWidget.mountWidget(options)`; a page may also load it directly and do the same.
 */
import { VERSION } from './context.js';
import { mountWidget } from './mount.js';
import { WIDGET_GLOBAL } from './shared.js';

/** What parley-widget.js puts on `window.ParleyWidget`: the loader<->widget handshake. */
export interface WidgetGlobal {
  mountWidget: typeof mountWidget;
  version: string;
}

(window as unknown as Record<string, WidgetGlobal>)[WIDGET_GLOBAL] = { mountWidget, version: VERSION };
