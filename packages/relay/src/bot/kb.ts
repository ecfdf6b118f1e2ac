import { readFile } from 'node:fs/promises';
import * as v from 'valibot';
import { parse as parseYaml } from 'yaml';

/** A language as the knowledge base keys it (`en`, `zh`, `pt-BR`): lower-case primary subtag. */
export const LanguageKeySchema = v.pipe(v.string(), v.regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a language code like "en" or "zh"'));
const nonEmpty = v.pipe(v.string(), v.check((s) => s.trim().length > 0, 'must not be empty'));
const id = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'ids use 1-64 of A-Z a-z 0-9 _ -'));
// Titles travel in ArticleRef, which the protocol bounds at 200 characters.
const title = v.pipe(nonEmpty, v.maxLength(200, 'at most 200 characters'));
const withEnglish = (what: string) =>
  v.check((r: Record<string, string>) => typeof r.en === 'string', `needs an "en" ${what}: English is the fallback language`);

const ArticleSchema = v.object({
  id,
  category: id,
  title: v.pipe(v.record(LanguageKeySchema, title), withEnglish('title')),
  body: v.pipe(v.record(LanguageKeySchema, v.pipe(nonEmpty, v.maxLength(4000, 'at most 4000 characters'))), withEnglish('body')),
  questions: v.record(LanguageKeySchema, v.array(nonEmpty)),
  keywords: v.record(LanguageKeySchema, v.array(nonEmpty)),
});

const KnowledgeBaseSchema = v.object({
  version: v.literal(1, 'must be 1'),
  languages: v.pipe(v.array(LanguageKeySchema), v.minLength(1, 'must list at least one language')),
  categories: v.array(v.object({ id, title: v.record(LanguageKeySchema, title) })),
  articles: v.pipe(v.array(ArticleSchema), v.minLength(1, 'must have at least one article')),
});

/** A validated knowledge base. */
export type KnowledgeBase = v.InferOutput<typeof KnowledgeBaseSchema>;
/** One article of a knowledge base. */
export type Article = KnowledgeBase['articles'][number];

/** A knowledge base that could not be read or is invalid; the message names the file, article and field. */
export class KnowledgeBaseError extends Error {
  override readonly name = 'KnowledgeBaseError';
}

/**
 * Validate parsed JSON as a knowledge base. `source` names it in errors (a file path).
 * Throws {@link KnowledgeBaseError}, e.g.
 * `Invalid knowledge base kb.json: article "fees" (articles[4]), field "title.en": must not be empty`.
 *
 * @example
 * const kb = parseKnowledgeBase(JSON.parse(text), 'kb/default.json');
 */
export function parseKnowledgeBase(data: unknown, source: string): KnowledgeBase {
  const fail = (where: string, message: string): never => {
    throw new KnowledgeBaseError(`Invalid knowledge base ${source}: ${where}: ${message}`);
  };
  const result = v.safeParse(KnowledgeBaseSchema, data);
  if (!result.success) {
    const issue = result.issues[0];
    const keys = (issue.path ?? []).map((p) => p.key as string | number);
    if (keys[0] === 'articles' && typeof keys[1] === 'number') {
      const raw = (data as { articles: unknown[] }).articles[keys[1]];
      const rawId = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
      const name = typeof rawId === 'string' ? `article "${rawId.slice(0, 64)}"` : 'article';
      const field = keys.slice(2).join('.');
      fail(`${name} (articles[${keys[1]}])${field ? `, field "${field}"` : ''}`, issue.message);
    }
    fail(keys.length ? `field "${keys.join('.')}"` : 'the file', issue.message);
  }
  const kb = result.output as KnowledgeBase;
  const categories = new Set(kb.categories.map((c) => c.id));
  const seen = new Set<string>();
  kb.articles.forEach((article, i) => {
    const where = `article "${article.id}" (articles[${i}])`;
    if (seen.has(article.id)) fail(where, 'duplicate article id');
    seen.add(article.id);
    if (!categories.has(article.category)) fail(`${where}, field "category"`, `unknown category "${article.category}"`);
  });
  return kb;
}

/**
 * Read and validate a knowledge base file: JSON, or YAML when the name ends in `.yaml` or
 * `.yml` (the same structure; easier to edit by hand, with multi-line bodies).
 *
 * @example
 * const kb = await loadKnowledgeBase('packages/relay/kb/default.json');
 * const bot = new FaqBot({ kb });
 */
export async function loadKnowledgeBase(file: string): Promise<KnowledgeBase> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new KnowledgeBaseError(`Cannot read knowledge base ${file}: ${(error as Error).message}`);
  }
  const yaml = /\.ya?ml$/i.test(file);
  let data: unknown;
  try {
    // A YAML alias bomb is bounded by the library's maxAliasCount (100 by default).
    data = yaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new KnowledgeBaseError(`Invalid knowledge base ${file}: not valid ${yaml ? 'YAML' : 'JSON'} (${(error as Error).message.split('\n')[0]})`);
  }
  return parseKnowledgeBase(data, file);
}
