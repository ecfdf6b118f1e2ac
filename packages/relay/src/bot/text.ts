// Text normalisation and tokenisation for matching visitors' questions in many scripts.

// Scripts written without spaces between words (Chinese, Japanese), and Korean, whose words
// carry particles and endings (입금이, 입금은): all three are matched by character bigrams.
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}ー]/u;
const RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}ー]+|[\p{L}\p{N}]+/gu;
const HIRAGANA_ONLY = /^[\p{Script=Hiragana}ー]+$/u;

/**
 * Lowercase, fold compatibility forms (full-width letters, half-width katakana) and strip
 * Latin/Cyrillic accents (so `depósito` meets `deposito` and `ё` meets `е`). Only the combining
 * diacritics block U+0300-U+036F is removed, and the text is recomposed, so Hangul syllables
 * and Japanese voiced kana survive intact.
 *
 * @example
 * normalize('Dépôt ＡＢＣ'); // 'depot abc'
 */
export function normalize(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').normalize('NFC').toLowerCase();
}

// What a visitor pastes but no article is about: transaction hashes, addresses, order numbers,
// amounts, e-mail addresses and links. They would only add noise (or, worse, be "corrected" into a word).
const NOISE = [
  /\bhttps?:\/\/\S+/g,
  // ASCII-only classes: on CJK text, which has no spaces, \S+@ would backtrack over whole paragraphs.
  /[\w.+-]+@[\w-]+\.[\w.-]+/g,
  /\b0x[0-9a-f]{8,}\b/g,
  // Long runs of hex or base58/bech32-like characters that contain digits: hashes and addresses.
  /\b(?=[a-z]*\d)[0-9a-z]{20,}\b/g,
  // Numbers (amounts, order ids, dates): 3+ digits, with separators.
  /\b\d[\d.,:/-]{2,}\b/g,
];

/**
 * Remove transaction ids, addresses, order numbers, amounts, e-mails and links.
 *
 * @example
 * stripNoise('txid 0x3f9ab2c4d5e6f7a8b9 still pending'); // 'txid   still pending'
 */
export function stripNoise(text: string): string {
  let out = normalize(text);
  for (const pattern of NOISE) out = out.replace(pattern, ' ');
  return out;
}

// Words too common to say anything about the question, in the spaced languages the relay
// ships. Chinese, Japanese and Korean need none: their grammar words rarely form bigrams that
// articles share, and all-hiragana words are dropped below.
const STOPWORDS = new Set(
  (
    // en
    'a an the is are was were be been being am i me my mine we our you your it its to of in on at for and or but with from by as ' +
    'do does did done doing how what when where why which who whom can could would should will shall may might must not no yes ' +
    'this that these those there here please pls plz hi hello hey thanks thank ok okay so just still yet already now then than ' +
    'have has had get got any some all also very too about into out up down if else im ive dont doesnt didnt cant wont isnt ' +
    // what is left of don't, doesn't, isn't... once the apostrophe splits the word
    'don doesn didn isn wasn aren weren haven hasn couldn wouldn shouldn ' +
    // es
    'el la los las un una unos unas es son de del en y o u que por para con mi mis me se lo le les como cuando donde porque ' +
    'si hola al su sus ya pero muy mas este esta esto eso estoy tengo hay fue ha he han nos yo tu todavia aun tambien ahora ' +
    // ru
    'и в во не на я мой моя мое мои мне меня что как где когда почему это с со у по к ли а но же или здравствуйте привет ' +
    'уже еще ещё мы вы вам нам он она оно они так там тут за из от до бы был была было есть'
  ).split(' '),
);

/** Crude stemming that serves English, Spanish and Russian alike: the first five letters. */
const stem = (word: string) => (word.length > 5 ? word.slice(0, 5) : word);

/** A text prepared for matching: its words, its runs of CJK characters, and the dictionary words in those. */
export interface QueryText {
  /** Each word that is not a stop word, as the index terms that stand for it: the word, then its stem. */
  words: string[][];
  /** Each run of Chinese, Japanese or Korean characters, as its characters; matched by bigrams ({@link bigrams}). */
  runs: string[][];
  /** The dictionary words of three or more characters that `Intl.Segmenter` finds in the CJK text (all-hiragana grammar dropped). */
  cjkWords: string[];
}

let segmenter: Intl.Segmenter | null | undefined;
/**
 * Dictionary words of Japanese and Chinese text, where the runtime has them. The whole text is
 * segmented at once: a segmenter call has a fixed cost that dominated when it ran per run.
 */
function cjkWordsOf(text: string, repeats: boolean): string[] {
  if (segmenter === undefined) segmenter = typeof Intl.Segmenter === 'function' ? new Intl.Segmenter('ja', { granularity: 'word' }) : null;
  if (!segmenter) return [];
  const words: string[] = [];
  for (const s of segmenter.segment(text)) {
    const w = s.segment;
    // Two-character words are bigrams already.
    if (s.isWordLike && w.length > 2 && CJK_ONLY.test(w) && !HIRAGANA_ONLY.test(w) && (repeats || !words.includes(w))) words.push(w);
  }
  return words;
}
const CJK_ONLY = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}ー]+$/u;

/**
 * A text as words, CJK runs and CJK dictionary words. Words of spaced scripts drop stop words
 * and keep the word and its stem (the stem meets other forms, the whole word meets typos by
 * typo correction). Noise (transaction ids, amounts, links) is stripped first. Each word is
 * listed once, unless `repeats` (term frequencies, when indexing).
 *
 * @example
 * parseText('Where is my deposit? 充值没到账'); // { words: [['deposit', 'depos']], runs: [['充', '值', '没', '到', '账']], cjkWords: [] }
 */
export function parseText(text: string, repeats = false): QueryText {
  const words: string[][] = [];
  const runs: string[][] = [];
  const seen = new Set<string>();
  const clean = stripNoise(text);
  for (const run of clean.match(RUN) ?? []) {
    if (CJK.test(run)) runs.push(Array.from(run));
    else if (!STOPWORDS.has(run) && (run.length > 1 || /\p{N}/u.test(run)) && (repeats || !seen.has(run))) {
      seen.add(run);
      const s = stem(run);
      words.push(s === run ? [run] : [run, s]);
    }
  }
  return { words, runs, cjkWords: runs.length ? cjkWordsOf(clean, repeats) : [] };
}

/**
 * The character bigrams of a CJK run (a lone character stands for itself).
 *
 * @example
 * bigrams(['充', '值', '没', '到', '账']); // ['充值', '值没', '没到', '到账']
 */
export function bigrams(chars: string[]): string[] {
  if (chars.length === 1) return [chars[0]!];
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

/**
 * Every index term of a text: the tokenizer of the search index.
 *
 * @example
 * terms('Withdrawals pending'); // ['withdrawals', 'withd', 'pending', 'pendi']
 */
export function terms(text: string): string[] {
  const { words, runs, cjkWords } = parseText(text);
  return [...new Set([...words.flat(), ...runs.flatMap(bigrams), ...cjkWords])];
}

/**
 * A matcher for a list of phrases: true when any occurs in a text, as a substring for CJK
 * phrases, and at a word start for others (so `agent` matches "agents" and "agente" but not
 * "reagent"). A phrase whose last word is three letters or fewer must end where that word ends:
 * short words hardly inflect, and as prefixes they match too much ("это не я" is not "это не
 * является"). The phrases are normalised once; each text once per call.
 *
 * @example
 * const asksForHuman = phraseMatcher(['real person', '人工']);
 * asksForHuman('I want a REAL person'); // true
 */
export function phraseMatcher(phrases: readonly string[]): (text: string) => boolean {
  const cjk: string[] = [];
  const spaced: string[] = [];
  for (const phrase of phrases) {
    const p = normalize(phrase).trim();
    if (p === '') continue;
    if (CJK.test(p)) cjk.push(p);
    else {
      const words = p.match(/[\p{L}\p{N}]+/gu) ?? [];
      if (words.length) spaced.push(' ' + words.join(' ') + (words.at(-1)!.length <= 3 ? ' ' : ''));
    }
  }
  return (text) => {
    const t = normalize(text);
    if (cjk.some((p) => t.includes(p))) return true;
    const words = ' ' + (t.match(/[\p{L}\p{N}]+/gu) ?? []).join(' ') + ' ';
    return spaced.some((p) => words.includes(p));
  };
}

/**
 * True when `phrase` occurs in `text` (see {@link phraseMatcher}).
 *
 * @example
 * containsPhrase('I want a REAL person', 'real person'); // true
 */
export function containsPhrase(text: string, phrase: string): boolean {
  return phraseMatcher([phrase])(text);
}
