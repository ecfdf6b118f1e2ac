import MiniSearch from 'minisearch';
import type { Article, KnowledgeBase } from './kb.js';
import { cjkTerms, parseText, terms, type QueryText } from './text.js';

/** One article found for a text. */
export interface ArticleHit {
  article: Article;
  /** The search library's relevance score (BM25+, summed over fields); only comparable within one search. */
  score: number;
  /**
   * How much of the text this article accounts for, 0..1: the share of the text's words (weighted
   * by how rare they are in the knowledge base) that the article matched. Words the knowledge
   * base has never seen weigh most, so an off-topic question scores low everywhere.
   */
  coverage: number;
}

/** Options for {@link FaqIndex.search}. */
export interface SearchOptions {
  /** The visitor's language: its documents get a small boost. A hint, never a filter. */
  lang?: string;
  /** @default 10 */
  limit?: number;
  /** Match the last word as a prefix (search as you type). @default false */
  prefix?: boolean;
}

interface Doc {
  id: string;
  article: string;
  lang: string;
  title: string;
  questions: string;
  keywords: string;
  body: string;
}

// Field weights: a keyword is the article's own label for itself; a title or a sample
// question is what visitors ask; the body mentions many things in passing.
const BOOST = { keywords: 3, title: 2, questions: 2, body: 0.6 };
// The visitor's language is a hint: a small nudge, so a mixed-language question still finds
// the article in whichever language matched best.
const LANG_BOOST = 1.15;
// How much a word found only in an article's body counts towards its coverage of a question.
const BODY_CREDIT = 0.5;

/**
 * The knowledge base as a full-text index (MiniSearch, BM25+), one document per article and
 * language, searched across every language at once with fuzzy matching for typos. Chosen over
 * FlexSearch, Orama and the earlier hand-written bigram matcher by measurement (README, FAQ bot).
 *
 * @example
 * const index = new FaqIndex(kb);
 * index.search('USDT 充值没到账', { lang: 'zh' })[0].article.id; // 'deposit-not-arrived'
 */
export class FaqIndex {
  readonly kb: KnowledgeBase;
  readonly #search: MiniSearch<Doc>;
  readonly #byId: Map<string, Article>;
  /** Per index term, in how many articles it occurs. */
  readonly #df = new Map<string, number>();

  constructor(kb: KnowledgeBase) {
    this.kb = kb;
    this.#byId = new Map(kb.articles.map((a) => [a.id, a]));
    this.#search = new MiniSearch<Doc>({
      fields: ['title', 'questions', 'keywords', 'body'],
      storeFields: [],
      tokenize: terms,
      // The tokenizer already normalised and stemmed.
      processTerm: (term) => term,
      searchOptions: { boost: BOOST, combineWith: 'OR' },
    });
    const docs: Doc[] = [];
    for (const article of kb.articles) {
      const seen = new Set<string>();
      for (const lang of languagesOf(article)) {
        const doc: Doc = {
          id: `${article.id}\u0000${lang}`,
          article: article.id,
          lang,
          title: article.title[lang] ?? '',
          questions: (article.questions[lang] ?? []).join('\n'),
          keywords: (article.keywords[lang] ?? []).join('\n'),
          body: article.body[lang] ?? '',
        };
        docs.push(doc);
        for (const field of [doc.title, doc.questions, doc.keywords, doc.body]) for (const t of terms(field)) seen.add(t);
      }
      for (const t of seen) this.#df.set(t, (this.#df.get(t) ?? 0) + 1);
    }
    this.#search.addAll(docs);
  }

  /** Number of articles. */
  get size(): number {
    return this.#byId.size;
  }

  /** The article with this id. */
  article(id: string): Article | undefined {
    return this.#byId.get(id);
  }

  /**
   * The articles that match `text`, best first, each once (its best language).
   *
   * @example
   * index.search('withdrawl pending', { lang: 'en', limit: 3 }); // typo and all
   */
  search(text: string, options: SearchOptions = {}): ArticleHit[] {
    const query = parseText(text);
    const runTerms = query.runs.map(cjkTerms);
    const all = [...new Set([...query.words.flat(), ...runTerms.flat()])];
    if (all.length === 0) return [];
    const lastTerm = query.words.at(-1)?.[0];
    // Typos: one edit in whole words of 5-9 letters, two from 10. Never in stems (the whole
    // word already gets it), short words (btc, 2fa, kyc: one edit is another word), numbers or
    // CJK terms.
    const fuzzy = new Map<string, number>();
    for (const [word] of query.words) {
      if (word!.length >= 5 && !/\p{N}/u.test(word!)) fuzzy.set(word!, word!.length >= 10 ? 2 : 1);
    }
    const results = this.#search.search(all.join(' '), {
      // The query is already tokenised: split it back, do not tokenise it twice.
      tokenize: (s) => s.split(' '),
      fuzzy: (term) => fuzzy.get(term) ?? false,
      prefix: (term) => options.prefix === true && term === lastTerm && term.length >= 2,
    });
    const best = new Map<string, { score: number; matched: Map<string, number> }>();
    for (const r of results) {
      const [articleId, lang] = String(r.id).split('\u0000') as [string, string];
      const score = r.score * (options.lang && lang === options.lang ? LANG_BOOST : 1);
      let entry = best.get(articleId);
      if (!entry) best.set(articleId, (entry = { score, matched: new Map() }));
      else if (score > entry.score) entry.score = score;
      for (const t of r.queryTerms) {
        // A word the article only uses in passing (its body) says less than one in its title,
        // questions or keywords. A fuzzy match (listed under the article's spelling, not the
        // query's) may be the visitor's typo or another word (marte is not martes): it counts
        // like a word in passing. The whole-word stem often matches exactly anyway (withd).
        const fields = r.match[t];
        const credit = fields ? (fields.some((f) => f !== 'body') ? 1 : BODY_CREDIT) : BODY_CREDIT;
        if (credit > (entry.matched.get(t) ?? 0)) entry.matched.set(t, credit);
      }
    }
    const hits: ArticleHit[] = [];
    for (const [id, { score, matched }] of best) {
      hits.push({ article: this.#byId.get(id)!, score, coverage: this.#coverage(query, matched) });
    }
    hits.sort((a, b) => b.score - a.score);
    return hits.slice(0, options.limit ?? 10);
  }

  /** How rare a term is across articles: unseen terms weigh most. */
  #weight(term: string): number {
    const df = this.#df.get(term);
    return df === undefined ? this.#unknown : Math.log(1 + this.size / (df + 0.5));
  }

  /**
   * What a word the knowledge base has never seen weighs: as much as one only one article uses.
   * It may be the question's subject (the weather) or the visitor's own detail (binance,
   * 40 min ago); weighing it more made long, detailed questions unanswerable, less made the
   * bot answer off-topic questions from one shared word (measured on kb/queries.json).
   */
  get #unknown(): number {
    return Math.log(1 + this.size / 1.5);
  }

  /**
   * The share of the text's information that `matched` terms account for. A word weighs as
   * much as its rarest form; a word the knowledge base has never seen weighs most. In a CJK run
   * every character counts, weighing as much as the most common known bigram it is part of
   * (grammar such as 怎么 weighs little), or the most if it is in none (天气 in a question about
   * the weather), and it is covered when a matched bigram or word contains it.
   */
  #coverage(query: QueryText, matched: Map<string, number>): number {
    let total = 0;
    let hit = 0;
    const credit = (t: string) => matched.get(t) ?? 0;
    for (const word of query.words) {
      // A word weighs as its known forms do (withdrawl is unknown, its stem withd is not).
      const known = word.filter((t) => this.#df.has(t));
      const w = known.length ? Math.max(...known.map((t) => this.#weight(t))) : this.#unknown;
      total += w;
      hit += w * Math.max(...word.map(credit));
    }
    for (const chars of query.runs) {
      if (chars.length === 1) {
        const w = this.#weight(chars[0]!);
        total += w;
        hit += w * credit(chars[0]!);
        continue;
      }
      const covered = new Array<number>(chars.length).fill(0);
      const weight = new Array<number>(chars.length).fill(this.#unknown);
      for (let i = 0; i + 1 < chars.length; i++) {
        const gram = chars[i]! + chars[i + 1]!;
        if (this.#df.has(gram)) {
          const w = this.#weight(gram);
          weight[i] = Math.min(weight[i]!, w);
          weight[i + 1] = Math.min(weight[i + 1]!, w);
        }
        const c = credit(gram);
        covered[i] = Math.max(covered[i]!, c);
        covered[i + 1] = Math.max(covered[i + 1]!, c);
      }
      // Dictionary words matched whole (リセット) cover their characters too.
      const joined = chars.join('');
      for (const [t, c] of matched) {
        const at = Array.from(t).length > 2 ? joined.indexOf(t) : -1;
        if (at >= 0) for (let i = Array.from(joined.slice(0, at)).length, n = i + Array.from(t).length; i < n; i++) covered[i] = Math.max(covered[i]!, c);
      }
      for (let i = 0; i < chars.length; i++) {
        total += weight[i]!;
        hit += weight[i]! * covered[i]!;
      }
    }
    return total === 0 ? 0 : hit / total;
  }
}

function languagesOf(article: Article): string[] {
  return [...new Set([...Object.keys(article.title), ...Object.keys(article.body), ...Object.keys(article.questions), ...Object.keys(article.keywords)])];
}
