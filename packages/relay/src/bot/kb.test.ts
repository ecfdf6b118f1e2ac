import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KnowledgeBaseError, loadKnowledgeBase, parseKnowledgeBase } from './kb.js';

const article = (over: Record<string, unknown> = {}) => ({
  id: 'fees',
  category: 'general',
  title: { en: 'Fees', es: 'Comisiones' },
  body: { en: 'We charge 0.1%.' },
  questions: { en: ['What are the fees?'] },
  keywords: { en: ['fee'] },
  ...over,
});
const kb = (articles: unknown[]) => ({
  version: 1,
  languages: ['en', 'es'],
  categories: [{ id: 'general', title: { en: 'General' } }],
  articles,
});

describe('knowledge base validation', () => {
  it('accepts a valid knowledge base', () => {
    expect(parseKnowledgeBase(kb([article()]), 'kb.json').articles[0]?.id).toBe('fees');
  });

  it('names the file, the article and the field of an invalid article', () => {
    const bad = kb([article({ id: 'ok-one' }), article({ id: 'broken', title: { en: '', es: 'x' } })]);
    expect(() => parseKnowledgeBase(bad, 'kb/custom.json')).toThrow(
      /^Invalid knowledge base kb\/custom\.json: article "broken" \(articles\[1\]\), field "title\.en": must not be empty$/,
    );
  });

  it('names a missing field', () => {
    const { body: _body, ...noBody } = article({ id: 'nobody' });
    expect(() => parseKnowledgeBase(kb([noBody]), 'x.json')).toThrow(/x\.json: article "nobody" \(articles\[0\]\), field "body"/);
  });

  it('requires English title and body as the fallback language', () => {
    expect(() => parseKnowledgeBase(kb([article({ title: { es: 'Comisiones' } })]), 'x.json')).toThrow(/field "title": needs an "en" title/);
  });

  it('refuses unknown categories and duplicate ids', () => {
    expect(() => parseKnowledgeBase(kb([article({ category: 'nope' })]), 'x.json')).toThrow(/field "category": unknown category "nope"/);
    expect(() => parseKnowledgeBase(kb([article(), article()]), 'x.json')).toThrow(/article "fees" \(articles\[1\]\): duplicate article id/);
  });

  it('refuses a wrong version and a top-level shape error', () => {
    expect(() => parseKnowledgeBase({ ...kb([article()]), version: 2 }, 'x.json')).toThrow(/x\.json: field "version": must be 1/);
    expect(() => parseKnowledgeBase([], 'x.json')).toThrow(KnowledgeBaseError);
  });

  it('names the file when it is missing or not JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parley-kb-'));
    const file = join(dir, 'broken.json');
    await writeFile(file, '{ not json');
    await expect(loadKnowledgeBase(file)).rejects.toThrow(`Invalid knowledge base ${file}: not valid JSON`);
    await expect(loadKnowledgeBase(join(dir, 'missing.json'))).rejects.toThrow(/Cannot read knowledge base .*missing\.json/);
  });

  it('reads YAML by its extension, with the same checks and errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parley-kb-'));
    const file = join(dir, 'kb.yaml');
    const yaml = [
      'version: 1',
      'languages: [en, es]',
      'categories:',
      '  - id: general',
      '    title: { en: General }',
      'articles:',
      '  - id: fees',
      '    category: general',
      '    title: { en: Fees, es: Comisiones }',
      '    body:',
      '      en: |',
      '        We charge 0.1%.',
      '        Withdrawals cost a network fee.',
      '    questions: { en: [What are the fees?] }',
      '    keywords: { en: [fee] }',
    ];
    await writeFile(file, yaml.join('\n'));
    const loaded = await loadKnowledgeBase(file);
    expect(loaded.articles[0]).toMatchObject({ id: 'fees', title: { es: 'Comisiones' }, body: { en: 'We charge 0.1%.\nWithdrawals cost a network fee.\n' } });

    await writeFile(file, yaml.map((l) => l.replace('title: { en: Fees, es: Comisiones }', "title: { en: '', es: Comisiones }")).join('\n'));
    await expect(loadKnowledgeBase(file)).rejects.toThrow(`Invalid knowledge base ${file}: article "fees" (articles[0]), field "title.en": must not be empty`);

    await writeFile(file, 'version: 1\nlanguages: [en\n');
    await expect(loadKnowledgeBase(file)).rejects.toThrow(`Invalid knowledge base ${file}: not valid YAML`);
  });
});
