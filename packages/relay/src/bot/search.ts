import { distance } from 'fastest-levenshtein';
import type { Article, KnowledgeBase } from './kb.js';
import { bigrams, parseText, type QueryText } from './text.js';

/** One article found for a text. */
export interface ArticleHit {
  article: Article;
  /** Relevance: the idf-weighted, field-weighted sum of the text's terms the article has; only comparable within one search. */
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
  /** The visitor's language: articles matched in it get a small boost. A hint, never a filter. */
  lang?: string;
  /** @default 10 */
  limit?: number;
  /** Match the last word as a prefix (search as you type). @default false */
  prefix?: boolean;
}

type Field = 'title' | 'questions' | 'keywords' | 'body';
// Field weights: a keyword is the article's own label for itself; a title or a sample
// question is what visitors ask; the body mentions many things in passing.
const FIELD_WEIGHT: Record<Field, number> = { keywords: 3, title: 2, questions: 2, body: 0.6 };
const FIELDS = Object.keys(FIELD_WEIGHT) as Field[];
// The visitor's language is a hint: a small nudge, so a mixed-language question still finds
// the article in whichever language matched best.
const LANG_BOOST = 1.15;
// How much a word found only in an article's body counts towards its coverage of a question.
const BODY_CREDIT = 0.5;
// Term frequency saturates and long fields count less, as in BM25 (k1, b): a word said three
// times is not three answers, and a long body mentions many things.
const K1 = 1.2;
const B = 0.7;
const CJK_START = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}ー]/u;
/** Search-as-you-type expands the last word to at most this many known words. */
const MAX_PREFIX_TERMS = 40;


/**
 * The knowledge base as an inverted index, searched in every language at once: each term
 * points at the articles that use it, with a weight from the field it is in (keywords, title,
 * questions, body) and how often. A search adds up, per article, the weights of the text's
 * terms times their rarity, and measures how much of the text the best articles cover.
 *
 * Why not a search library: MiniSearch served the 35-article base, but its per-document work
 * and a term tree that scans CJK characters one by one put a decision's p99 at 139 ms on a
 * 5,000-article base (target 10 ms; README, FAQ bot); this index keeps its postings in typed
 * arrays. Typos are corrected against the vocabulary with fastest-levenshtein.
 *
 * @example
 * const index = new FaqIndex(kb);
 * index.search('USDT 充值没到账', { lang: 'zh' })[0].article.id; // 'deposit-not-arrived'
 */
export class FaqIndex {
  readonly kb: KnowledgeBase;
  readonly #articles: Article[];
  readonly #byId: Map<string, Article>;
  /** Term -> its number; its postings are positions start[n] to start[n + 1] of the arrays below. */
  readonly #terms = new Map<string, number>();
  readonly #start: Int32Array;
  // Postings of every term, one after the other (one set of arrays rather than four per term:
  // a large base has hundreds of thousands of terms): per article that has the term (ascending
  // index), its weight, the languages it occurs in (bits), and whether it is in the article's
  // title, questions or keywords (1) or only its body (0).
  readonly #articleOf: Int32Array;
  readonly #weightOf: Float32Array;
  readonly #langsOf: Int32Array;
  readonly #strongOf: Uint8Array;
  readonly #langBits = new Map<string, number>();
  /**
   * The whole words of spaced scripts (4+ letters), by first letter: where a word the index
   * does not know is looked up as a typo.
   */
  readonly #vocabulary = new Map<string, string[]>();
  /** Every term of spaced scripts, sorted: where search-as-you-type finds words by their beginning. */
  readonly #sorted: string[];

  constructor(kb: KnowledgeBase) {
    this.kb = kb;
    this.#articles = kb.articles;
    this.#byId = new Map(kb.articles.map((a) => [a.id, a]));
    // Two passes, as BM25 needs each field's average length before it can weigh a term.
    const fields: { article: number; bit: number; field: Field; counts: Map<string, number>; length: number }[] = [];
    const totals = { title: [0, 0], questions: [0, 0], keywords: [0, 0], body: [0, 0] } as Record<Field, [number, number]>;
    this.#articles.forEach((article, index) => {
      for (const lang of languagesOf(article)) {
        const bit = this.#langBit(lang);
        for (const field of FIELDS) {
          const raw = field === 'questions' || field === 'keywords' ? (article[field][lang] ?? []).join('\n') : (article[field][lang] ?? '');
          if (!raw) continue;
          const all = termsWithRepeats(raw);
          const counts = new Map<string, number>();
          for (const t of all) counts.set(t, (counts.get(t) ?? 0) + 1);
          fields.push({ article: index, bit, field, counts, length: all.length });
          totals[field][0] += all.length;
          totals[field][1]++;
        }
      }
    });
    const building = new Map<string, { articles: number[]; weights: number[]; langs: number[]; strong: number[] }>();
    // Per term of the article being added: the best field weight over its languages, those
    // languages, and whether any is not the body.
    let current = -1;
    let best = new Map<string, { weight: number; langs: number; strong: number }>();
    const flush = () => {
      for (const [t, { weight, langs, strong }] of best) {
        let p = building.get(t);
        if (!p) building.set(t, (p = { articles: [], weights: [], langs: [], strong: [] }));
        p.articles.push(current);
        p.weights.push(weight);
        p.langs.push(langs);
        p.strong.push(strong);
      }
      best = new Map();
    };
    for (const { article, bit, field, counts, length } of fields) {
      if (article !== current) {
        flush();
        current = article;
      }
      const avg = totals[field][0] / totals[field][1];
      for (const [t, tf] of counts) {
        const weight = FIELD_WEIGHT[field] * ((tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * length) / avg)));
        const strong = field === 'body' ? 0 : 1;
        const entry = best.get(t);
        if (!entry) best.set(t, { weight, langs: bit, strong });
        else {
          if (weight > entry.weight) entry.weight = weight;
          entry.langs |= bit;
          entry.strong |= strong;
        }
      }
    }
    flush();
    let total = 0;
    for (const p of building.values()) total += p.articles.length;
    this.#start = new Int32Array(building.size + 1);
    this.#articleOf = new Int32Array(total);
    this.#weightOf = new Float32Array(total);
    this.#langsOf = new Int32Array(total);
    this.#strongOf = new Uint8Array(total);
    let at = 0;
    for (const [t, p] of building) {
      const n = this.#terms.size;
      this.#terms.set(t, n);
      this.#start[n] = at;
      this.#articleOf.set(p.articles, at);
      this.#weightOf.set(p.weights, at);
      this.#langsOf.set(p.langs, at);
      this.#strongOf.set(p.strong, at);
      at += p.articles.length;
      if (t.length >= 4 && !CJK_START.test(t)) {
        const bucket = this.#vocabulary.get(t[0]!);
        if (bucket) bucket.push(t);
        else this.#vocabulary.set(t[0]!, [t]);
      }
    }
    this.#start[building.size] = at;
    this.#sorted = [...this.#terms.keys()].filter((t) => !CJK_START.test(t)).sort();
  }

  /** Number of articles. */
  get size(): number {
    return this.#articles.length;
  }

  /** The article with this id. */
  article(id: string): Article | undefined {
    return this.#byId.get(id);
  }

  /**
   * The articles that match `text`, best first.
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
      if (w.length < 5 || this.#terms.has(w) || /\p{N}/u.test(w)) continue;
      for (const c of this.#corrections(w, w.length >= 10 ? 2 : 1)) {
        corrections.add(c);
        word.push(c);
      }
    }
    // Search as you type: the last word, half typed, stands for the known words it begins.
    const last = query.words.at(-1);
    if (options.prefix && last && last[0]!.length >= 2) last.push(...this.#startingWith(last[0]!));
    const all = [...new Set([...query.words.flat(), ...query.runs.flatMap(bigrams), ...query.cjkWords])];
    if (all.length === 0) return [];

    const scores = new Float64Array(this.size);
    const inLang = new Uint8Array(this.size);
    const hits = new Uint16Array(this.size);
    const touched: number[] = [];
    const bit = options.lang ? (this.#langBits.get(options.lang) ?? 0) : 0;
    for (const t of all) {
      const n = this.#terms.get(t);
      if (n === undefined) continue;
      const idf = this.#weight(t);
      for (let i = this.#start[n]!, end = this.#start[n + 1]!; i < end; i++) {
        const a = this.#articleOf[i]!;
        if (scores[a] === 0) touched.push(a);
        scores[a] = scores[a]! + idf * this.#weightOf[i]!;
        hits[a]!++;
        if (this.#langsOf[i]! & bit) inLang[a] = 1;
      }
    }
    // An article that has more of the text's terms is more likely what it is about: the sum
    // times the number of terms matched (as MiniSearch, measured against, scores).
    const ranked = touched.map((a) => [a, scores[a]! * hits[a]! * (inLang[a] ? LANG_BOOST : 1)] as const).sort((x, y) => y[1] - x[1]);
    return ranked.slice(0, options.limit ?? 10).map(([a, score]) => {
      // What each of the text's terms earns towards this article's coverage (see #coverage).
      const credits = new Map<string, number>();
      for (const t of all) {
        const strong = this.#strongIn(t, a);
        if (strong === undefined) continue;
        // A word the article only uses in passing (its body) says less than one in its title,
        // questions or keywords; so does a typo's correction, which may be what the visitor
        // meant or another word (marte is not martes).
        credits.set(t, corrections.has(t) || !strong ? BODY_CREDIT : 1);
      }
      return { article: this.#articles[a]!, score, coverage: this.#coverage(query, credits) };
    });
  }

  /** Whether article `a` has term `t` beyond its body (true), only in its body (false), or not at all. */
  #strongIn(t: string, a: number): boolean | undefined {
    const n = this.#terms.get(t);
    if (n === undefined) return undefined;
    let lo = this.#start[n]!;
    let hi = this.#start[n + 1]! - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.#articleOf[mid]!;
      if (v === a) return this.#strongOf[mid] === 1;
      if (v < a) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /** Known terms that begin with `prefix` (at most MAX_PREFIX_TERMS). */
  #startingWith(prefix: string): string[] {
    let lo = 0;
    let hi = this.#sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#sorted[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let i = lo; i < this.#sorted.length && out.length < MAX_PREFIX_TERMS && this.#sorted[i]!.startsWith(prefix); i++) out.push(this.#sorted[i]!);
    return out;
  }

  #langBit(lang: string): number {
    let b = this.#langBits.get(lang);
    if (b === undefined) this.#langBits.set(lang, (b = this.#langBits.size < 31 ? 1 << this.#langBits.size : 0));
    return b;
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
    const n = this.#terms.get(term);
    return n === undefined ? this.#unknown : Math.log(1 + this.size / (this.#start[n + 1]! - this.#start[n]! + 0.5));
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
      const known = word.filter((t) => this.#terms.has(t));
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
        if (this.#terms.has(gram)) {
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

/** The index terms of a text, each as often as it occurs (for term frequency). */
function termsWithRepeats(text: string): string[] {
  const { words, runs, cjkWords } = parseText(text, true);
  return [...words.flat(), ...runs.flatMap(bigrams), ...cjkWords];
}
