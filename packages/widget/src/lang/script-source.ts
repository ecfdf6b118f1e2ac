import { EN, type Lang, type LangSource, type Strings } from '../i18n.js';
import { DESK } from '../variant.js';
import { registeredPack } from './register.js';

/**
 * The script-tag build's {@link LangSource}: English is built in; any other language is
 * fetched once as `parley-lang-xx.js` next to parley-widget.js (`parley-lang-xx-desk.js`,
 * with the desk's strings, next to parley-widget-desk.js; same CSP nonce), and read
 * from the registry the pack fills. A pack that fails to load rejects, and the widget
 * stays in English rather than showing nothing.
 *
 * @example
 * const langs = scriptLangs(document, 'https://chat.example.com/parley-widget.js');
 */
export function scriptLangs(doc: Document, widgetSrc: string | undefined, nonce?: string): LangSource {
  const loading = new Map<Lang, Promise<Strings>>();
  return (lang) => {
    if (lang === 'en') return EN;
    const ready = registeredPack(lang);
    if (ready) return ready;
    let p = loading.get(lang);
    if (!p) {
      const file = `parley-lang-${lang}${DESK ? '-desk' : ''}.js`;
      p = new Promise<Strings>((resolve, reject) => {
        if (!widgetSrc) return reject(new Error(`no URL to load the "${lang}" language pack from`));
        const el = doc.createElement('script');
        el.src = new URL(file, widgetSrc).href;
        el.async = true;
        if (nonce) el.nonce = nonce;
        el.onload = () => {
          const pack = registeredPack(lang);
          if (pack) resolve(pack);
          else reject(new Error(`${file} did not register its strings`));
        };
        el.onerror = () => reject(new Error(`could not load ${file}`));
        doc.head.appendChild(el);
      });
      // A failed load may succeed later (flaky network): forget it so the next choice retries.
      p.catch(() => loading.delete(lang));
      loading.set(lang, p);
    }
    return p;
  };
}
