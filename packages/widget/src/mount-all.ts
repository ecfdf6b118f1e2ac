import { allLangs } from './lang/all.js';
import { mountWith, type WidgetHandle, type WidgetOptions } from './mount.js';

/**
 * Put the chat widget on the page, isolated in a shadow root. The npm build carries all six
 * languages, so no language pack is fetched.
 *
 * @example
 * import { mountWidget } from '@parley/widget';
 * const chat = mountWidget({ relay: 'https://chat.example.com', lang: 'en', attributes: { plan: 'pro' } });
 * document.querySelector('#help')!.addEventListener('click', () => chat.open());
 */
export function mountWidget(options: WidgetOptions): WidgetHandle {
  return mountWith(options, allLangs);
}
