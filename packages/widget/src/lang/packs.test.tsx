// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EN, type Lang, type Strings } from '../i18n.js';
import { mountWith } from '../mount.js';
import { fakeClient, fakeDesk, settle } from '../test-helpers.js';
import { ES } from './es.js';
import { LANGS_GLOBAL, registerPack } from './register.js';
import { scriptLangs } from './script-source.js';

/** A document whose <script>s never touch the network: the test fires load/error itself. */
function fakeDoc() {
  const scripts: { src: string; nonce: string; async: boolean; onload?: () => void; onerror?: () => void }[] = [];
  const doc = {
    createElement: () => ({ src: '', nonce: '', async: false }),
    head: { appendChild: (el: (typeof scripts)[number]) => scripts.push(el) },
  } as unknown as Document;
  return { doc, scripts };
}

afterEach(() => {
  delete (globalThis as Record<string, unknown>)[LANGS_GLOBAL];
  document.head.innerHTML = '';
  document.body.innerHTML = '';
});

describe('language packs on demand', () => {
  it('loads parley-lang-xx-desk.js (tests run the desk build) next to the widget script once, with its nonce, and reads the registered table', async () => {
    const { doc, scripts } = fakeDoc();
    const langs = scriptLangs(doc, 'https://cdn.example/v1/parley-widget.js', 'n0nce');
    expect(langs('en')).toBe(EN);
    const a = langs('es') as Promise<Strings>;
    const b = langs('es');
    expect(b).toBe(a); // one request per language
    expect(scripts).toHaveLength(1);
    const script = scripts[0]!;
    expect(script.src).toBe('https://cdn.example/v1/parley-lang-es-desk.js');
    expect(script.nonce).toBe('n0nce');
    registerPack('es', ES); // what the pack file does when it runs
    script.onload!();
    expect(await a).toBe(ES);
    expect(langs('es')).toBe(ES); // at hand from now on
  });

  it('rejects when the pack fails to load or does not register, and tries again next time', async () => {
    const { doc, scripts } = fakeDoc();
    const langs = scriptLangs(doc, 'https://cdn.example/parley-widget.js');
    const a = langs('ja') as Promise<Strings>;
    scripts[0]!.onerror!();
    await expect(a).rejects.toThrow(/could not load parley-lang-ja-desk\.js/);
    const b = langs('ja') as Promise<Strings>;
    expect(b).not.toBe(a);
    scripts[1]!.onload!();
    await expect(b).rejects.toThrow(/did not register/);
    await expect(scriptLangs(doc, undefined)('ko') as Promise<Strings>).rejects.toThrow(/no URL/);
  });

  it('shows English until the chosen pack arrives, then switches; a failed pack leaves English', async () => {
    let arrive!: (s: Strings) => void;
    const source = (lang: Lang) => (lang === 'en' ? EN : new Promise<Strings>((r) => (arrive = r)));
    const { client } = fakeClient();
    const h = mountWith({ relay: 'https://r.example', lang: 'es', open: true, storage: null, client, desk: fakeDesk().desk }, source);
    await settle();
    const root = h.host.shadowRoot!;
    expect(root.querySelector('.panel')?.getAttribute('lang')).toBe('en');
    expect(root.querySelector('.send')?.textContent).toBe('Send');
    arrive(ES);
    await settle();
    expect(root.querySelector('.panel')?.getAttribute('lang')).toBe('es');
    expect(root.querySelector('.send')?.textContent).toBe('Enviar');
    h.shutdown();

    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const h2 = mountWith({ relay: 'https://r.example', lang: 'ko', open: true, storage: null, client, desk: fakeDesk().desk }, (l) =>
      l === 'en' ? EN : Promise.reject(new Error('404')),
    );
    await settle();
    expect(h2.host.shadowRoot!.querySelector('.send')?.textContent).toBe('Send');
    expect(error).toHaveBeenCalled();
    error.mockRestore();
    h2.shutdown();
  });

  it('fills keys missing from an old cached pack with English', async () => {
    const { client } = fakeClient();
    const partial = { ...ES } as Partial<Strings>;
    delete partial.rateTitle;
    const h = mountWith({ relay: 'https://r.example', lang: 'es', open: true, storage: null, client, desk: fakeDesk().desk }, (l) =>
      l === 'en' ? EN : (partial as Strings),
    );
    await settle();
    expect(h.host.shadowRoot!.querySelector('.send')?.textContent).toBe('Enviar');
    h.shutdown();
  });
});
