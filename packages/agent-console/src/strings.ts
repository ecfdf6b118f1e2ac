import type { ConnectionState } from '@parley/client';

/**
 * Every UI string of the agent console, in English, in one place so a translation is one
 * object of the same shape. Functions are used where a number or a name goes inside.
 *
 * @example
 * import { strings } from './strings.js';
 * button.textContent = strings.conversation.take; // "Take"
 */
export const strings = {
  appTitle: 'Parley agent console',
  login: {
    heading: 'Agent sign-in',
    username: 'Username',
    password: 'Password',
    submit: 'Log in',
    submitting: 'Logging in…',
    /** When the relay gave no message we can show (network down, unexpected answer). */
    failed: 'Could not log in. Check your connection and try again.',
    missingFields: 'Enter your username and password.',
    sessionEnded: 'Your session has ended. Please log in again.',
  },
  header: {
    logout: 'Log out',
    connection: 'Connection',
    /** The connection state in words. */
    state: {
      idle: 'offline',
      connecting: 'connecting',
      online: 'online',
      reconnecting: 'reconnecting',
      offline: 'offline',
    } satisfies Record<ConnectionState, string>,
  },
  list: {
    label: 'Conversations',
    tabs: { waiting: 'Waiting', mine: 'Mine', all: 'All' },
    empty: { waiting: 'Nobody is waiting.', mine: 'You have no active conversations.', all: 'No open conversations.' },
    noPreview: '(no messages yet)',
    unknownLang: 'language unknown',
    unread: (n: number) => (n === 1 ? '1 new' : `${n} new`),
    status: { bot: 'with the bot', waiting: 'waiting', active: 'active', closed: 'closed' },
    takenBy: (name: string) => `with ${name}`,
  },
  age: {
    now: 'just now',
    minutes: (n: number) => `${n} min`,
    hours: (n: number) => `${n} h`,
    days: (n: number) => `${n} d`,
  },
  conversation: {
    none: 'Pick a conversation from the list.',
    heading: (lang: string | undefined) => (lang ? `Conversation (${lang})` : 'Conversation'),
    transcript: 'Transcript',
    empty: 'No messages yet.',
    author: { visitor: 'Visitor', bot: 'Bot', agent: 'Agent', system: 'System', you: 'You' },
    pending: 'Sending…',
    failed: (message: string) => `Not sent: ${message}`,
    suggestions: 'Suggested articles',
    statusLine: {
      bot: 'The bot is answering',
      waiting: 'Visitor asked for a person',
      activeYou: 'You joined',
      active: (name: string) => `${name} joined`,
      closed: 'Closed',
    },
    take: 'Take',
    taking: 'Taking…',
    conflict: 'Another agent took this conversation',
    close: 'Close conversation',
    closeConfirm: 'Close this conversation? The visitor can no longer reply.',
    closeYes: 'Yes, close it',
    closeNo: 'Keep it open',
    closing: 'Closing…',
    actionFailed: (message: string) => `That did not work: ${message}`,
    takenByOther: (name: string) => `${name} has this conversation.`,
    closedNote: 'This conversation is closed.',
  },
  composer: {
    label: 'Reply',
    hint: 'Enter sends, Shift+Enter adds a new line.',
    send: 'Send',
    disabledWaiting: 'Take the conversation to reply.',
    disabledOther: 'Only the agent who has this conversation can reply.',
    disabledClosed: 'This conversation is closed.',
    tooLong: (max: number) => `The reply is longer than ${max} characters.`,
  },
  context: {
    heading: 'Visitor',
    url: 'Page',
    referrer: 'Referrer',
    language: 'Language',
    userAgent: 'User agent',
    screen: 'Screen',
    appVersion: 'App version',
    sdkVersion: 'SDK version',
    attributes: 'Attributes',
    none: 'No details were sent.',
  },
};

/** The shape a translation of {@link strings} must have. */
export type Strings = typeof strings;
