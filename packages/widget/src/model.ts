import { computed, effect, signal, untracked, type ReadonlySignal, type Signal } from '@preact/signals';
import type { VisitorChat } from '@parley/client';
import { EN, withOverrides, type Lang, type LangSource, type StringOverrides, type Strings } from './i18n.js';

/** Where the language choice is remembered, so a returning visitor skips the picker. */
export const LANG_KEY = 'parley:lang';

/**
 * The slice of `localStorage` the widget uses (to remember the visitor's language).
 *
 * @example
 * mountWidget({ relay, storage: sessionStorage }); // forget the choice when the tab closes
 */
export interface LangStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/**
 * The widget's UI state, shared by the components. The conversation itself lives in the
 * client's signals; this holds only what the UI adds: open or not, the language, the draft.
 */
export interface Model {
  readonly client: VisitorChat;
  readonly open: Signal<boolean>;
  /** The language the visitor or the page chose; `null` while the picker is showing. */
  readonly lang: Signal<Lang | null>;
  /** The strings on screen: the chosen language, else the browser's guess for the picker. */
  readonly s: ReadonlySignal<Strings>;
  readonly uiLang: ReadonlySignal<Lang>;
  /** The composer's text, kept here so closing the panel does not lose it. */
  readonly draft: Signal<string>;
  /** A bot or agent wrote while the panel was closed. */
  readonly unread: ReadonlySignal<boolean>;
  readonly launcher: boolean;
  readonly launcherEl: { current: HTMLButtonElement | null };
  /**
   * Set when the next control to appear should take focus (the panel was opened by the
   * visitor, a language was picked, a new conversation started). Cleared by whoever takes it.
   */
  wantFocus: boolean;
  setOpen(open: boolean): void;
  chooseLang(lang: Lang): void;
  dispose(): void;
}

export interface ModelOptions {
  client: VisitorChat;
  /** The page's language, already matched; `null` shows the picker. */
  lang: Lang | null;
  /** The browser's language, for the picker's own strings. */
  guess: Lang;
  open: boolean;
  launcher: boolean;
  title?: string;
  strings?: StringOverrides;
  /** Where each language's strings come from (all at hand, or loaded on demand). */
  langs: LangSource;
  storage: LangStorage | null;
  /** Where focus is now (the shadow root's active element), to hand it back on close. */
  focused: () => Element | null;
  /** The element focused before the panel opened, when there is no launcher to return to. */
  outside: () => Element | null;
}

/** Build the UI state and its effects (connect once the panel is open and a language is known). */
export function createModel(o: ModelOptions): Model {
  const { client, storage } = o;
  const open = signal(o.open);
  const lang = signal<Lang | null>(o.lang);
  const draft = signal('');
  const wanted = computed(() => lang.value ?? o.guess);
  const packs = signal<Partial<Record<Lang, Strings>>>({ en: EN });
  // Until a language's pack has arrived the UI speaks English, and says so (`lang="en"`).
  const uiLang = computed<Lang>(() => (packs.value[wanted.value] ? wanted.value : 'en'));
  const s = computed(() => {
    const l = uiLang.value;
    const out = withOverrides(packs.value[l] ?? EN, o.strings?.[l]);
    if (o.title && !o.strings?.[l]?.title) out.title = o.title;
    return out;
  });
  const fetchPack = (l: Lang) => {
    if (packs.peek()[l]) return;
    const got = o.langs(l);
    const put = (t: Strings) => (packs.value = { ...packs.peek(), [l]: t });
    if (got instanceof Promise) got.then(put, (e) => console.error(`Parley: staying in English:`, e));
    else put(got);
  };
  const replies = computed(
    () => client.transcript.value.filter((i) => i.kind === 'message' && i.author.role !== 'visitor').length,
  );
  const seen = signal(0);
  const unread = computed(() => !open.value && replies.value > seen.value);
  const launcherEl: { current: HTMLButtonElement | null } = { current: null };
  let returnTo: Element | null = null;

  const disposers = [
    effect(() => fetchPack(wanted.value)),
    // Connect only when someone wants to chat: a WebSocket per page view for every
    // visitor of every page would cost the relay more than the whole widget costs the page.
    effect(() => {
      if (open.value && lang.value) untracked(() => client.connect());
    }),
    effect(() => {
      if (open.value) seen.value = replies.value;
    }),
  ];

  const model: Model = {
    client,
    open,
    lang,
    s,
    uiLang,
    draft,
    unread,
    launcher: o.launcher,
    launcherEl,
    wantFocus: false,
    setOpen(next) {
      if (next === open.value) return;
      if (next) {
        returnTo = o.outside();
        model.wantFocus = true;
      } else {
        // Only move focus if it was inside the panel: closing from page code must not
        // yank the visitor's focus out of whatever they are doing.
        const inPanel = o.focused()?.closest('.panel');
        if (inPanel) {
          const back = (launcherEl.current ?? returnTo) as HTMLElement | null;
          back?.focus?.();
        }
        returnTo = null;
      }
      open.value = next;
    },
    chooseLang(next) {
      lang.value = next;
      model.wantFocus = true;
      client.setLang(next);
      try {
        storage?.setItem(LANG_KEY, next);
      } catch {
        // Storage can be full or forbidden (Safari private mode, sandboxed frames):
        // the choice then lasts for this page only.
      }
    },
    dispose() {
      for (const d of disposers) d();
    },
  };
  return model;
}
