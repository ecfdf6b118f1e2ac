import { HELP_LIMITS, type HelpArticle, type HelpIndex, type HelpSearchResult } from '@parley/protocol';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { format } from '../i18n.js';
import type { Model } from '../model.js';

/** Wait this long after the last keystroke before searching, so typing a word asks once. */
export const SEARCH_DEBOUNCE_MS = 200;

/**
 * The help center (desk build only, see variant.ts): a search field that searches as the
 * visitor types, the categories with their article titles while the field is empty, and one
 * article at a time. Titles and bodies are JSX text children, never HTML. Focus: the search
 * field when the view opens, the article's heading when one opens, and back on the article's
 * button when the visitor goes back. The result count sits in a polite live region.
 */
export function Help({ m }: { m: Model }) {
  const s = m.s.value;
  // The view is reachable only after the language choice; the relay falls back to English.
  const lang = m.lang.value ?? 'en';
  const [index, setIndex] = useState<HelpIndex | null>(null);
  const [query, setQuery] = useState('');
  /** `null` while the query is empty: the categories show instead. */
  const [results, setResults] = useState<HelpSearchResult[] | null>(null);
  const [article, setArticle] = useState<HelpArticle | null>(null);
  const [failed, setFailed] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  /** What to focus after the next render (a selector inside the view). */
  const focus = useRef<string | null>(m.wantFocus ? '#help-q' : null);
  /** The article whose button was used last, to return focus to it. */
  const opened = useRef('');
  // Only the newest search counts: an older, slower answer must not replace it.
  const asked = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useLayoutEffect(() => {
    const sel = focus.current;
    // The article's button may be gone (the results changed): the search field, then.
    const el = sel && (root.current?.querySelector<HTMLElement>(sel) ?? root.current?.querySelector<HTMLElement>('#help-q'));
    if (el) {
      focus.current = null;
      m.wantFocus = false;
      el.focus();
    }
  });
  useEffect(() => {
    m.desk.helpIndex(lang).then(setIndex, () => setFailed(true));
  }, [lang]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const type = (q: string) => {
    setQuery(q);
    clearTimeout(timer.current);
    const n = ++asked.current;
    if (!q.trim()) return setResults(null);
    timer.current = setTimeout(() => {
      m.desk.searchHelp(q, lang).then(
        (r) => n === asked.current && (setResults(r), setFailed(false)),
        () => n === asked.current && setFailed(true),
      );
    }, SEARCH_DEBOUNCE_MS);
  };
  const open = (id: string) => {
    opened.current = id;
    m.desk.helpArticle(id, lang).then(
      (a) => {
        focus.current = 'h3';
        setFailed(false);
        setArticle(a);
      },
      () => setFailed(true),
    );
  };
  const chat = () => m.show('chat');
  const item = (a: { id: string; title: string }, described?: boolean) => (
    <button type="button" class="link" data-id={a.id} aria-describedby={described ? `hs-${a.id}` : undefined} onClick={() => open(a.id)}>
      {a.title}
    </button>
  );
  const alert = failed && <p role="alert">{s.requestFailed}</p>;

  if (article) {
    return (
      <div ref={root} class="stack help">
        <h3 tabIndex={-1}>{article.title}</h3>
        <p class="text">{article.body}</p>
        {alert}
        <div class="row">
          <button type="button" class="btn go" onClick={chat}>
            {s.startChat}
          </button>
          <button
            type="button"
            class="link"
            onClick={() => {
              focus.current = `[data-id="${opened.current}"]`;
              setArticle(null);
            }}
          >
            {s.back}
          </button>
        </div>
      </div>
    );
  }

  const n = results?.length;
  return (
    <div ref={root} class="stack help">
      <h3>{s.helpArticles}</h3>
      <label for="help-q" class="sr">
        {s.helpSearch}
      </label>
      <input
        id="help-q"
        type="search"
        value={query}
        placeholder={s.helpSearch}
        maxLength={HELP_LIMITS.maxQueryChars}
        autocomplete="off"
        onInput={(e) => type(e.currentTarget.value)}
        onKeyDown={(e) => {
          // Escape empties a filled field first (as search fields do); an empty one lets the
          // panel close, like Escape anywhere else in it.
          if (e.key === 'Escape' && query && !e.isComposing) {
            e.stopPropagation();
            e.preventDefault();
            type('');
          }
        }}
      />
      <p aria-live="polite" class="hint">
        {n === undefined ? '' : n === 0 ? s.helpNone : n === 1 ? s.helpOne : format(s.helpCount, { n })}
      </p>
      {alert}
      {results ? (
        <ul>
          {results.map((r) => (
            <li key={r.id}>
              {item(r, true)}
              <span id={`hs-${r.id}`} class="hint">
                {r.snippet}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        index?.categories.map((c) => (
          <section key={c.id}>
            <h4>{c.title}</h4>
            <ul>
              {c.articles.map((a) => (
                <li key={a.id}>{item(a)}</li>
              ))}
            </ul>
          </section>
        ))
      )}
      <div class="row">
        <button type="button" class="btn go" onClick={chat}>
          {s.startChat}
        </button>
      </div>
    </div>
  );
}
