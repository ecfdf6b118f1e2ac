import { describe, expect, it } from 'vitest';
import { LANGS, LANG_NAMES, format, matchLang } from './i18n.js';
import { STRINGS, stringsFor } from './lang/all.js';
import { OPEN_LABELS } from './shared.js';

describe('i18n', () => {
  const keys = Object.keys(STRINGS.en).sort();

  it.each(LANGS)('%s has every key, each a non-blank string', (lang) => {
    expect(Object.keys(STRINGS[lang]).sort()).toEqual(keys);
    for (const k of keys) expect(STRINGS[lang][k as keyof typeof STRINGS.en].trim()).not.toBe('');
    expect(LANG_NAMES[lang]).toBeTruthy();
  });

  it('keeps the placeholders of English in every translation', () => {
    for (const lang of LANGS) {
      for (const k of keys) {
        const want = STRINGS.en[k as keyof typeof STRINGS.en].match(/\{\w+\}/g) ?? [];
        const got = STRINGS[lang][k as keyof typeof STRINGS.en].match(/\{\w+\}/g) ?? [];
        expect(got, `${lang}.${k}`).toEqual(want);
      }
    }
  });

  it('uses the loader launcher label as the widget launcher label, so they never disagree', () => {
    for (const lang of LANGS) expect(STRINGS[lang].openChat).toBe(OPEN_LABELS[lang]);
  });

  it('matches regional tags and refuses unknown ones', () => {
    expect(matchLang('zh-Hant-TW')).toBe('zh');
    expect(matchLang('EN_us')).toBe('en');
    expect(matchLang('fr')).toBeNull();
    expect(matchLang(undefined)).toBeNull();
    expect(matchLang(42)).toBeNull();
  });

  it('lays overrides over one language and ignores non-string values', () => {
    const s = stringsFor('es', { es: { title: 'Ayuda', send: 5 as unknown as string }, en: { title: 'Help' } });
    expect(s.title).toBe('Ayuda');
    expect(s.send).toBe('Enviar');
    expect(STRINGS.es.title).toBe('Soporte'); // the table itself is untouched
  });

  it('fills placeholders and leaves unknown ones', () => {
    expect(format('{name} joined {where}', { name: 'Ana' })).toBe('Ana joined {where}');
    expect(format('{n} left', { n: 3 })).toBe('3 left');
  });
});
