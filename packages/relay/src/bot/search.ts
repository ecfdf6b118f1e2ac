import { distance } from 'fastest-levenshtein';
import MiniSearch from 'minisearch';
import type { Article, KnowledgeBase } from './kb.js';
import { bigrams, parseText, terms, type QueryText } from './text.js';

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
const CJK_START = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}ー]/u;

/**
 * MiniSearch keeps terms in a radix tree whose nodes scan their children one by one. Chinese,
 * Japanese and Korean give the root thousands of children (one per first character), which
 * made indexing and every lookup slow on a large base. Each CJK term is stored behind one of
 * 256 private-use characters picked by a hash of the term, so no node has more than a few
 * hundred children. Only exact lookups reach CJK terms (no prefix or fuzzy search), so the
 * bucket changes nothing else. Search terms go through the same function.
 */
function bucketed(term: string): string {
  if (!CJK_START.test(term)) return term;
  let h = 0;
  for (let i = 0; i < term.length; i++) h = (h * 31 + term.charCodeAt(i)) & 0xff;
  return String.fromCharCode(BUCKET_BASE + h) + term;
}
const BUCKET_BASE = 0xe000;
/** The article of a document id (`${articleId}\u0000${lang}`). */
const articleOf = (docId: string) => docId.slice(0, docId.lastIndexOf('\u0000'));
const unbucketed = (term: string) => {
  const c = term.charCodeAt(0);
  return c >= BUCKET_BASE && c < BUCKET_BASE + 256 ? term.slice(1) : term;
};

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
  /**
   * The whole words of spaced scripts (4+ letters), by first letter: where a word the index
   * does not know is looked up as a typo. MiniSearch's own fuzzy search walks its whole term
   * tree, which with thousands of CJK bigrams was most of a search's time.
   */
  readonly #vocabulary = new Map<string, string[]>();

  constructor(kb: KnowledgeBase) {
    this.kb = kb;
    this.#byId = new Map(kb.articles.map((a) => [a.id, a]));
    // Each field is tokenised once: for the term counts here, then handed to MiniSearch.
    const tokens = new Map<string, string[]>();
    const tokenize = (text: string) => {
      let t = tokens.get(text);
      if (!t) tokens.set(text, (t = terms(text)));
      return t;
    };
    this.#search = new MiniSearch<Doc>({
      fields: ['title', 'questions', 'keywords', 'body'],
      storeFields: [],
      tokenize,
      // The tokenizer already normalised and stemmed; CJK terms get their bucket (see bucketed).
      processTerm: bucketed,
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
        for (const field of [doc.title, doc.questions, doc.keywords, doc.body]) for (const t of tokenize(field)) seen.add(t);
      }
      for (const t of seen) this.#df.set(t, (this.#df.get(t) ?? 0) + 1);
    }
    this.#search.addAll(docs);
    tokens.clear();
    for (const term of this.#df.keys()) {
      if (term.length < 4 || CJK_START.test(term)) continue;
      const bucket = this.#vocabulary.get(term[0]!);
      if (bucket) bucket.push(term);
      else this.#vocabulary.set(term[0]!, [term]);
    }
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
    // Typos: a word no article uses, of 5+ letters, also searches for the known words one edit
    // away (two from 10 letters). Not short words (btc, 2fa, kyc: one edit is another word),
    // nor numbers or CJK text. The corrections join the word's own terms.
    const corrections = new Set<string>();
    for (const word of query.words) {
      const w = word[0]!;
      if (w.length < 5 || this.#df.has(w) || /\p{N}/u.test(w)) continue;
      for (const c of this.#corrections(w, w.length >= 10 ? 2 : 1)) {
        corrections.add(c);
        word.push(c);
      }
    }
    const all = [...new Set([...query.words.flat(), ...query.runs.flatMap(bigrams), ...query.cjkWords])];
    if (all.length === 0) return [];
    const lastTerm = query.words.at(-1)?.[0];
    const results = this.#search.search(all.join(' '), {
      // The query is already tokenised: split it back, do not tokenise it twice.
      tokenize: (s) => s.split(' '),
      prefix: (term) => options.prefix === true && term === lastTerm && term.length >= 2,
    });
    // Each article once, at its best language's score. On a large base an OR query matches
    // thousands of documents: rank them first, then weigh matches for the few that are kept.
    const best = new Map<string, number>();
    for (const r of results) {
      const score = r.score * (options.lang && r.id.endsWith(`\u0000${options.lang}`) ? LANG_BOOST : 1);
      const id = articleOf(r.id);
      if (score > (best.get(id) ?? 0)) best.set(id, score);
    }
    const top = [...best].sort((a, b) => b[1] - a[1]).slice(0, options.limit ?? 10);
    const matched = new Map(top.map(([id]) => [id, new Map<string, number>()]));
    for (const r of results) {
      const credits = matched.get(articleOf(r.id));
      if (!credits) continue;
      for (const qt of r.queryTerms) {
        const t = unbucketed(qt);
        // A word the article only uses in passing (its body) says less than one in its title,
        // questions or keywords. A typo's correction may be what the visitor meant or another
        // word (marte is not martes): it counts like a word in passing. A prefix match (search
        // as you type) is listed under the article's spelling: it counts in full. The whole
        // word's stem often matches exactly anyway (withdrawl, withd).
        const fields = r.match[qt];
        const credit = corrections.has(t) || (fields !== undefined && fields.every((f) => f === 'body')) ? BODY_CREDIT : 1;
        if (credit > (credits.get(t) ?? 0)) credits.set(t, credit);
      }
    }
    return top.map(([id, score]) => ({ article: this.#byId.get(id)!, score, coverage: this.#coverage(query, matched.get(id)!) }));
  }

  /** Known whole words at the smallest edit distance from `word`, up to `max` edits. */
  #corrections(word: string, max: number): string[] {
    let best = max + 1;
    let out: string[] = [];
    // The first letter is rarely the typo; a dropped or swapped first letter puts the second one first.
    for (const first of new Set([word[0]!, word[1]!])) {
      for (const known of this.#vocabulary.get(first) ?? []) {
        if (Math.abs(known.length - word.length) > max) continue;
        const d = distance(word, known);
        if (d < best) {
          best = d;
          out = [known];
        } else if (d === best) out.push(known);
      }
    }
    return best <= max ? out : [];
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
