// Text normalisation and features for matching questions in many scripts.

// Scripts written without spaces between words, matched by character bigrams.
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}ー]/u;
const RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}ー]+|[\p{L}\p{N}]+/gu;

/**
 * Lowercase, fold compatibility forms (full-width letters, half-width katakana) and strip
 * Latin/Cyrillic accents. Only the combining diacritics block U+0300-U+036F is removed, and
 * the text is recomposed, so Hangul syllables and Japanese voiced kana survive intact.
 *
 * @example
 * normalize('Dépôt ＡＢＣ'); // 'depot abc'
 */
export function normalize(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').normalize('NFC').toLowerCase();
}

// Words too common to say anything about the question.
const STOPWORDS = new Set(
  (
    'a an the is are was were be been am i me my we our you your it its to of in on at for and or but with from by ' +
    'do does did how what when where why which who can could would should will not no yes this that there here please hi hello ' +
    'el la los las un una es de del en y o que por para con mi mis me se lo como cuando donde porque no si hola ' +
    'и в во не на я мой моя мои мне что как где когда почему это с у по к ли а но же или здравствуйте привет'
  ).split(' '),
);

/** Crude stemming: long words keep their first five letters, so `deposits`/`deposited` meet. */
const stem = (word: string) => (word.length > 5 ? word.slice(0, 5) : word);

/**
 * The features of a text: stemmed words for spaced scripts and character bigrams for Chinese,
 * Japanese and Korean runs (a lone CJK character counts as itself).
 *
 * @example
 * features('我的充值没到账'); // Set { '我的', '的充', '充值', ... }
 */
export function features(text: string): Set<string> {
  const out = new Set<string>();
  for (const run of normalize(text).match(RUN) ?? []) {
    if (CJK.test(run)) {
      const chars = Array.from(run);
      if (chars.length === 1) out.add(run);
      for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
    } else if (!STOPWORDS.has(run) && (run.length > 1 || /\p{N}/u.test(run))) {
      out.add(stem(run));
    }
  }
  return out;
}

/** Cosine similarity of two feature sets (0..1). */
export function similarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const f of a) if (b.has(f)) shared++;
  return shared / Math.sqrt(a.size * b.size);
}

/**
 * True when `phrase` occurs in `text`: as a substring for CJK phrases, and at a word start for
 * others (so `agent` matches "agents" and "agente" but not "reagent").
 *
 * @example
 * containsPhrase('I want a REAL person', 'real person'); // true
 */
export function containsPhrase(text: string, phrase: string): boolean {
  const p = normalize(phrase).trim();
  if (p === '') return false;
  const t = normalize(text);
  if (CJK.test(p)) return t.includes(p);
  const words = ' ' + (t.match(/[\p{L}\p{N}]+/gu) ?? []).join(' ');
  return words.includes(' ' + (p.match(/[\p{L}\p{N}]+/gu) ?? []).join(' '));
}
