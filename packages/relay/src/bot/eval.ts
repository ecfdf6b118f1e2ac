import { readFile } from 'node:fs/promises';
import * as v from 'valibot';
import type { FaqBot, FaqDecision } from './faq.js';
import { KnowledgeBaseError, LanguageKeySchema } from './kb.js';

/** One labelled query: `expect` is an article id, or `handoff`, `none` or `urgent`. */
export interface EvalQuery {
  q: string;
  /** The widget's language, passed to the bot as its hint. */
  lang: string;
  expect: string;
}

/** Correct answers out of a total. */
export interface Tally {
  total: number;
  correct: number;
  accuracy: number;
}

/** What `parley faq eval` prints. */
export interface EvalReport extends Tally {
  byLanguage: Record<string, Tally>;
  /** By what was expected: `article` (any article), `handoff`, `none`, `urgent`. Accuracy here is recall. */
  byExpect: Record<string, Tally>;
  /** Article queries whose article is the answer or among the suggestions. */
  top3: Tally;
  /** Urgent queries answered with an article or with `none`: must be 0. */
  urgentAnsweredOrNone: number;
  misses: { q: string; lang: string; expect: string; got: FaqDecision }[];
}

const DECISION_KINDS = new Set(['handoff', 'none', 'urgent']);

const QueriesSchema = v.array(
  v.object({
    q: v.pipe(v.string(), v.minLength(1, 'must not be empty')),
    lang: LanguageKeySchema,
    expect: v.pipe(v.string(), v.minLength(1, 'must not be empty')),
  }),
);

/**
 * Read a queries file (`[{"q","lang","expect"}]`); errors name the file, the entry and the field.
 *
 * @example
 * const queries = await loadQueries('dev-queries.json');
 */
export async function loadQueries(file: string): Promise<EvalQuery[]> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new KnowledgeBaseError(`Cannot read queries ${file}: ${(error as Error).message}`);
  }
  const parsed = v.safeParse(QueriesSchema, data);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const path = (issue.path ?? []).map((p) => (typeof p.key === 'number' ? `[${p.key}]` : `.${String(p.key)}`)).join('');
    throw new KnowledgeBaseError(`Invalid queries ${file}: ${path ? `entry ${path.replace(/^\./, '')}: ` : ''}${issue.message}`);
  }
  return parsed.output;
}

const tally = (): Tally => ({ total: 0, correct: 0, accuracy: 0 });
const count = (t: Tally, ok: boolean) => {
  t.total++;
  if (ok) t.correct++;
};
const finish = (t: Tally) => {
  t.accuracy = t.total ? Math.round((t.correct / t.total) * 10_000) / 10_000 : 0;
};

/**
 * Run every query through the bot's decision and score it. A query that expects an article is
 * correct only when the decision is `answer` with that article.
 *
 * @example
 * const report = evaluate(bot, await loadQueries('dev-queries.json'));
 * console.log(report.accuracy, report.byLanguage.zh.accuracy);
 */
export function evaluate(bot: FaqBot, queries: EvalQuery[]): EvalReport {
  const report: EvalReport = { ...tally(), byLanguage: {}, byExpect: {}, top3: tally(), urgentAnsweredOrNone: 0, misses: [] };
  for (const { q, lang, expect } of queries) {
    const got = bot.decide(q, lang);
    const isArticle = !DECISION_KINDS.has(expect);
    const ok = isArticle ? got.kind === 'answer' && got.articleId === expect : got.kind === expect;
    count(report, ok);
    count((report.byLanguage[lang] ??= tally()), ok);
    count((report.byExpect[isArticle ? 'article' : expect] ??= tally()), ok);
    if (isArticle) count(report.top3, got.articleId === expect || got.suggestions.includes(expect));
    if (expect === 'urgent' && (got.kind === 'answer' || got.kind === 'none')) report.urgentAnsweredOrNone++;
    if (!ok) report.misses.push({ q, lang, expect, got });
  }
  for (const t of [report, report.top3, ...Object.values(report.byLanguage), ...Object.values(report.byExpect)]) finish(t);
  return report;
}
