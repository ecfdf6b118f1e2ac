import { computed, effect, signal, untracked, type ReadonlySignal, type Signal } from '@preact/signals';
import type { VisitorClient } from '@parley/client';
import type { DeskInfo } from '@parley/protocol';
import type { DeskApi } from './desk.js';
import { EN, withOverrides, type Lang, type LangSource, type StringOverrides, type Strings } from './i18n.js';
import { DESK } from './variant.js';

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
  readonly client: VisitorClient;
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
  /** The desk's HTTP API (pre-chat config, tickets). */
  readonly desk: DeskApi;
  /** The desk's last answer for this language (and topic); `null` until it came or if it failed. */
  readonly info: Signal<DeskInfo | null>;
  /** The problem type picked in the pre-chat step; `null` until then. */
  readonly topic: Signal<string | null>;
  /** What the panel shows once a language is known: the chat, the ticket form, a ticket lookup or the help center. */
  readonly view: Signal<View>;
  /**
   * The visitor's "Did this help?" answers by message key, kept for the page's life so a
   * re-render (or closing and reopening the panel) never asks twice.
   */
  readonly helped: Signal<Record<string, 'yes' | 'no'>>;
  /** The ticket made in this page view, to prefill the lookup form. */
  lastTicket: { number: string; email: string } | null;
  /** Save a text file on the visitor's device. */
  readonly download: (name: string, text: string) => void;
  setOpen(open: boolean): void;
  chooseLang(lang: Lang): void;
  chooseTopic(topic: string): void;
  /** "Talk to a person": join the queue, or offer a ticket when the desk says nobody fitting is online. */
  handOff(): void;
  /** Switch the panel's view and move focus to what appears. */
  show(view: View): void;
  dispose(): void;
}

/** The panel's views after the language choice. */
export type View = 'chat' | 'ticket' | 'lookup' | 'help';

export interface ModelOptions {
  client: VisitorClient;
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
  desk: DeskApi;
  download: (name: string, text: string) => void;
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

  const info = signal<DeskInfo | null>(null);
  const topic = signal<string | null>(null);
  const view = signal<View>('chat');
  // Only the newest answer counts: a slow reply for the old language must not win.
  let asked = 0;
  const loadInfo = (l: Lang, t: string | null) => {
    const n = ++asked;
    o.desk.info({ lang: l, topic: t ?? undefined }).then(
      (d) => {
        if (n !== asked) return;
        // The topic choice replaces the composer: if focus was there, it moves to the choices.
        if (d.topics.length && !topic.value && o.focused()?.closest('.panel')) model.wantFocus = true;
        info.value = d;
      },
      // No desk info: no pre-chat topics and no ticket offer; the chat itself still works.
      (e) => console.warn('Parley: could not load the desk config:', e),
    );
  };

  const disposers = [
    effect(() => fetchPack(wanted.value)),
    // The chat-only build has no pre-chat or ticket UI, so it never asks the desk.
    DESK &&
      effect(() => {
        const l = lang.value;
        if (open.value && l) untracked(() => loadInfo(l, topic.value));
      }),
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
    desk: o.desk,
    info,
    topic,
    view,
    helped: signal({}),
    download: o.download,
    lastTicket: null,
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
    chooseTopic(next) {
      topic.value = next;
      model.wantFocus = true;
      client.setTopic(next);
      if (lang.value) loadInfo(lang.value, next);
    },
    handOff() {
      // Decided on the desk's last answer, so the click acts at once; without an answer the
      // visitor joins the queue and the relay turns an unanswered chat into a ticket.
      if (info.value?.open === false) model.show('ticket');
      else client.requestHuman();
    },
    show(next) {
      model.wantFocus = true;
      view.value = next;
    },
    dispose() {
      for (const d of disposers) if (d) d();
    },
  };
  return model;
}
