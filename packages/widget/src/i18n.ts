import { LANGS, matchLang, type Lang } from './shared.js';
import { DESK } from './variant.js';

export { LANGS, matchLang };
export type { Lang };

/** The strings of the chat itself, in every build (see {@link Strings}). */
export interface ChatStrings {
  /** Panel title and the dialog's accessible name. */
  title: string;
  openChat: string;
  closeChat: string;
  connecting: string;
  online: string;
  reconnecting: string;
  offline: string;
  chooseLanguage: string;
  greeting: string;
  /** Screen-reader labels for who wrote a message (`agent` when the agent has no name). */
  you: string;
  bot: string;
  agent: string;
  system: string;
  sending: string;
  /** `{reason}`: why the relay refused the message. */
  notSent: string;
  waitingStatus: string;
  /** `{name}`: the agent's name. */
  joined: string;
  closedStatus: string;
  talkToPerson: string;
  waitingNote: string;
  messageLabel: string;
  placeholder: string;
  send: string;
  /** `{n}`: characters left. */
  charsLeft: string;
  startNew: string;
  /** Ends the conversation from the visitor's side. */
  endChat: string;
  safety: string;
  /** `{number}`: the ticket an unanswered chat became (shown after "Conversation closed"). */
  savedAsTicket: string;
}

/**
 * The strings only the desk build shows (see variant.ts): pre-chat, queue, typing, tickets,
 * rating, transcript tools, "Did this help?" and the help center. Language packs carry them in their own table, so the chat-only
 * script build does not ship them.
 */
export interface DeskStrings {
  /** Pre-chat: the heading above the problem types. */
  chooseTopic: string;
  /** `{n}`: the visitor's place in the queue (1 = next). */
  queuePosition: string;
  /** `{min}`: estimated wait in whole minutes (at least 1). */
  queueEta: string;
  queueEtaSoon: string;
  /** `{name}`: who is typing (the agent's name, or `agent`). */
  typing: string;
  /** Shown instead of a chat when no fitting agent is online. */
  noAgents: string;
  /** Shown instead of a chat outside the desk's hours. */
  closedHours: string;
  leaveMessage: string;
  checkTicket: string;
  topicLabel: string;
  subjectLabel: string;
  descriptionLabel: string;
  emailLabel: string;
  ticketNumberLabel: string;
  submit: string;
  lookUp: string;
  back: string;
  /** Validation: an empty required field. */
  required: string;
  badEmail: string;
  /** `{number}`: the new ticket's number. */
  ticketCreated: string;
  ticketNotFound: string;
  /** `{status}`: one of tOpen, tPending, tSolved, tClosed. */
  ticketStatus: string;
  tOpen: string;
  tPending: string;
  tSolved: string;
  tClosed: string;
  requestFailed: string;
  noReplies: string;
  rateTitle: string;
  /** `{n}`: a score 1-5, the accessible name of each rating choice. */
  rateScore: string;
  rateComment: string;
  rateSend: string;
  rateThanks: string;
  downloadTranscript: string;
  emailTranscript: string;
  /** `{email}`: where the transcript goes. */
  transcriptSent: string;
  /** Asked under the bot's latest answer from the help articles, with `yes` / `no` buttons. */
  didItHelp: string;
  yes: string;
  no: string;
  /** Replaces the buttons after "yes". */
  helpedYes: string;
  /** After "no", before a "Talk to a person" button. */
  helpedNo: string;
  /** The help center: the button that opens it and its heading. */
  helpArticles: string;
  /** The accessible name of the help search field. */
  helpSearch: string;
  /** Announced when a search finds nothing. */
  helpNone: string;
  /** Announced when a search finds one article. */
  helpOne: string;
  /** `{n}`: how many articles a search found (2 or more). */
  helpCount: string;
  /** Leaves the help center for the chat. */
  startChat: string;
}

/**
 * Every string the widget shows.
 *
 * @example
 * const s: Strings = stringsFor('en'); // from '@parley/widget'
 * s.talkToPerson; // 'Talk to a person'
 * `{name}`, `{reason}` and `{n}` are placeholders filled by
 * {@link format}. Override any of them per language with `mountWidget({ strings })`.
 */
export type Strings = ChatStrings & DeskStrings;

/**
 * Each language's name in that language, for the picker.
 *
 * @example
 * LANG_NAMES.zh; // '中文'
 */
export const LANG_NAMES: Record<Lang, string> = {
  en: 'English',
  zh: '中文',
  es: 'Español',
  ru: 'Русский',
  ja: '日本語',
  ko: '한국어',
};

/**
 * The English strings: the only language inside parley-widget.js itself, and the fallback
 * for any key a language pack lacks (a cached pack from an older release, say).
 *
 * @example
 * EN.talkToPerson; // 'Talk to a person'
 */
export const EN_CHAT: ChatStrings = {
  title: 'Support',
  // The same as the loader's OPEN_LABELS.en (i18n.test.ts checks every language).
  openChat: 'Open chat',
  closeChat: 'Close chat',
  connecting: 'Connecting…',
  online: 'Online',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
  chooseLanguage: 'Choose your language',
  greeting: 'Hi! How can we help?',
  you: 'You',
  bot: 'Bot',
  agent: 'Agent',
  system: 'Notice',
  sending: 'Sending…',
  notSent: 'Not sent: {reason}',
  waitingStatus: 'You are in the queue for a person',
  joined: '{name} joined',
  closedStatus: 'Conversation closed',
  talkToPerson: 'Talk to a person',
  waitingNote: 'A person will be with you soon.',
  messageLabel: 'Your message',
  placeholder: 'Type a message…',
  send: 'Send',
  charsLeft: '{n} characters left',
  startNew: 'Start a new conversation',
  endChat: 'End chat',
  safety: 'We will never ask for your password, private key, seed phrase or 2FA code.',
  savedAsTicket: 'Your request was saved as ticket {number}.',
};

/** The desk build's English strings (see {@link DeskStrings}). */
export const EN_DESK: DeskStrings = {
  chooseTopic: 'What do you need help with?',
  queuePosition: 'You are number {n} in the queue.',
  queueEta: 'Estimated wait: about {min} min.',
  queueEtaSoon: 'Estimated wait: under a minute.',
  typing: '{name} is typing…',
  noAgents: 'No one can chat right now. Leave a message and we will reply by email.',
  closedHours: 'We are outside our support hours. Leave a message and we will reply by email.',
  leaveMessage: 'Leave a message',
  checkTicket: 'Check a ticket',
  topicLabel: 'Problem type',
  subjectLabel: 'Subject',
  descriptionLabel: 'Description',
  emailLabel: 'Email',
  ticketNumberLabel: 'Ticket number',
  submit: 'Submit',
  lookUp: 'Look up',
  back: 'Back',
  required: 'Please fill in this field.',
  badEmail: 'Please enter a valid email address.',
  ticketCreated: 'Thank you! Your ticket number is {number}. We will reply by email.',
  ticketNotFound: 'No ticket matches this number and email.',
  ticketStatus: 'Status: {status}',
  tOpen: 'Open',
  tPending: 'Waiting for your reply',
  tSolved: 'Solved',
  tClosed: 'Closed',
  requestFailed: 'Something went wrong. Please try again.',
  noReplies: 'No replies yet.',
  rateTitle: 'How was your chat?',
  rateScore: '{n} out of 5',
  rateComment: 'Comment (optional)',
  rateSend: 'Send rating',
  rateThanks: 'Thank you for your rating!',
  downloadTranscript: 'Download transcript',
  emailTranscript: 'Email me the transcript',
  transcriptSent: 'The transcript is on its way to {email}.',
  didItHelp: 'Did this help?',
  yes: 'Yes',
  no: 'No',
  helpedYes: 'Thanks for letting us know!',
  helpedNo: "Sorry that didn't help.",
  helpArticles: 'Help articles',
  helpSearch: 'Search help articles',
  helpNone: 'No articles found.',
  helpOne: '1 article',
  helpCount: '{n} articles',
  startChat: 'Chat with us',
};

/**
 * The English strings: the only language inside the script-tag widget itself, and the
 * fallback for any key a language pack lacks (a cached pack from an older release, say).
 * The chat-only build has no desk strings (nothing there reads them).
 *
 * @example
 * EN.talkToPerson; // 'Talk to a person'
 */
export const EN = (DESK ? { ...EN_CHAT, ...EN_DESK } : EN_CHAT) as Strings;

/**
 * Per-language partial overrides of the built-in strings, as `mountWidget({ strings })` takes them.
 *
 * @example
 * const strings: StringOverrides = { en: { title: 'Acme help' }, zh: { title: 'Acme 客服' } };
 */
export type StringOverrides = Partial<Record<Lang, Partial<Strings>>>;

/**
 * Lay one language's overrides over a table, ignoring values that are not strings, so a
 * typo in a page's config cannot blank the UI. Keys the base lacks are filled from
 * English. Internal: the public form is `stringsFor`.
 */
export function withOverrides(base: Partial<Strings>, own?: Partial<Strings>): Strings {
  const out = { ...EN };
  for (const key of Object.keys(EN) as (keyof Strings)[]) {
    const b = base[key];
    if (typeof b === 'string' && b.trim()) out[key] = b;
    const o = own && typeof own === 'object' ? own[key] : undefined;
    if (typeof o === 'string') out[key] = o;
  }
  return out;
}

/**
 * Where a language's strings come from: a table at hand (the npm build bundles all six),
 * or a promise of one (the script-tag build fetches dist/parley-lang-xx.js on demand).
 * English is always at hand.
 *
 * @example
 * const source: LangSource = (lang) => (lang === 'en' ? EN : fetchPack(lang));
 */
export type LangSource = (lang: Lang) => Strings | Promise<Strings>;

/**
 * Fill `{placeholders}` in a string; unknown placeholders stay as they are.
 *
 * @example
 * format('{name} joined', { name: 'Ana' }); // 'Ana joined'
 */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}
