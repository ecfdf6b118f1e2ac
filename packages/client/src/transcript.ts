import { computed, signal, type ReadonlySignal } from '@preact/signals-core';
import type { Author, ConversationEvent } from '@parley/protocol';
import type { ClientError, TranscriptItem } from './types.js';

type MessageItem = Extract<TranscriptItem, { kind: 'message' }>;

/** @internal One conversation's transcript as a signal, merged from events, acks and local sends. */
export interface Transcript {
  readonly items: ReadonlySignal<TranscriptItem[]>;
  /** The highest seq of an event seen (0 when none): subscribe with `afterSeq` = this. */
  readonly lastSeq: number;
  /** Merge a relay event. Returns false when it was already shown (a replay or duplicate). */
  apply(event: ConversationEvent): boolean;
  /** Show a local message at once, before the relay has it. */
  addPending(message: { clientId: string; text: string; author: Author; at: number }): void;
  /** The relay acked a pending message with this seq. */
  acked(clientId: string, seq: number | undefined): void;
  /** The relay refused a pending message for good; it stays visible with `failed`. */
  failed(clientId: string, error: ClientError): void;
  /** True when a message with this client id is shown (pending, failed or numbered). */
  has(clientId: string): boolean;
  /** Forget everything (a new conversation). */
  reset(): void;
}

/**
 * @internal Invariants: each seq appears once; numbered items are in seq order; pending
 * (and failed) local messages come after all numbered ones, in the order they were sent;
 * a pending message keeps its key when its event arrives, so a UI does not re-mount it.
 */
export function createTranscript(): Transcript {
  /** The seqs shown (the items themselves are in `list`, in the same order as `order`). */
  const numbered = new Set<number>();
  let order: number[] = [];
  const local = new Map<string, MessageItem>();
  // Seqs known only from an ack: the event (with the relay's time) replaces them when it comes.
  const provisional = new Set<number>();
  const keyToSeq = new Map<string, number>();
  let lastSeq = 0;

  // The numbered items in seq order, kept beside `order` so a render copies one array instead
  // of looking every item up again (three renders per message sent: pending, ack, event).
  let list: TranscriptItem[] = [];
  // The array is built when read, not per change: a message changes the transcript three
  // times (pending, ack, event), and a headless client (a bot, a load test) may never read it.
  const version = signal(0);
  const items = computed<TranscriptItem[]>(() => {
    // The read makes `version` a dependency. It is used, not a bare `version.value;`, which the
    // widget's minifier (pure_getters) would drop, leaving a transcript that never updates.
    if (version.value < 0) return [];
    return local.size === 0 ? list.slice() : list.concat(Array.from(local.values()));
  });
  const render = () => {
    version.value++;
  };
  const put = (seq: number, item: TranscriptItem) => {
    if (numbered.has(seq)) {
      list[order.lastIndexOf(seq)] = item;
    } else {
      // Events nearly always arrive in order: scan from the end.
      let i = order.length;
      while (i > 0 && order[i - 1]! > seq) i--;
      order.splice(i, 0, seq);
      list.splice(i, 0, item);
    }
    numbered.add(seq);
    keyToSeq.set(item.key, seq);
  };

  return {
    items,
    get lastSeq() {
      return lastSeq;
    },
    apply(event) {
      if (event.seq > lastSeq) lastSeq = event.seq;
      if (numbered.has(event.seq) && !provisional.has(event.seq)) return false;
      if (event.kind === 'status') {
        put(event.seq, {
          kind: 'status',
          key: `s${event.seq}`,
          seq: event.seq,
          at: event.at,
          status: event.status,
          ...(event.agent ? { agent: event.agent } : {}),
          ...(event.transfer ? { transfer: event.transfer } : {}),
          ...(event.ticket ? { ticket: event.ticket } : {}),
        });
      } else if (event.kind === 'note') {
        // Notes reach agents only; they are never pending locally (note() waits for the ack).
        put(event.seq, { kind: 'note', key: event.clientId ?? `s${event.seq}`, seq: event.seq, at: event.at, author: event.author, text: event.text });
      } else {
        const key = event.clientId ?? `s${event.seq}`;
        const known = keyToSeq.get(key);
        // The same client id under another seq cannot come from a correct relay; keep the first.
        if (known !== undefined && known !== event.seq) return false;
        // This client's own pending message: keep the strings and author it already holds when
        // the relay's are the same, so the copies parsed from the frame are dropped at once
        // rather than kept for the life of the transcript (about a quarter of what a message keeps).
        const mine = event.clientId ? local.get(event.clientId) : undefined;
        const message: MessageItem = {
          kind: 'message',
          key: mine?.key ?? key,
          seq: event.seq,
          author: mine && sameAuthor(mine.author, event.author) ? mine.author : event.author,
          text: mine?.text === event.text ? mine.text : event.text,
          at: event.at,
          pending: false,
          ...(event.articleId ? { articleId: event.articleId } : {}),
          ...(event.suggestions ? { suggestions: event.suggestions } : {}),
        };
        if (event.clientId) local.delete(event.clientId);
        put(event.seq, message);
      }
      provisional.delete(event.seq);
      render();
      return true;
    },
    addPending({ clientId, text, author, at }) {
      if (local.has(clientId) || keyToSeq.has(clientId)) return;
      local.set(clientId, { kind: 'message', key: clientId, author, text, at, pending: true });
      render();
    },
    acked(clientId, seq) {
      const m = local.get(clientId);
      if (!m) return;
      if (seq === undefined) {
        // An ack without a seq still means "stored"; the event will place it.
        local.set(clientId, { ...m, pending: false });
      } else {
        local.delete(clientId);
        if (!numbered.has(seq)) {
          // Acks come only for messages still in the outbox, which never failed.
          put(seq, { kind: 'message', key: m.key, seq, author: m.author, text: m.text, at: m.at, pending: false });
          provisional.add(seq);
        }
      }
      render();
    },
    failed(clientId, error) {
      const m = local.get(clientId);
      if (!m) return;
      // Not pending any more (nothing will change it), but kept so the user can copy the text.
      local.set(clientId, { ...m, pending: false, failed: { code: error.code, message: error.message } });
      render();
    },
    has(clientId) {
      return local.has(clientId) || keyToSeq.has(clientId);
    },
    reset() {
      numbered.clear();
      order = [];
      list = [];
      local.clear();
      provisional.clear();
      keyToSeq.clear();
      lastSeq = 0;
      render();
    },
  };
}

/** Whether two authors say the same (the relay sends only role, id and name). */
function sameAuthor(a: Author, b: Author): boolean {
  return a.role === b.role && a.id === b.id && a.name === b.name;
}
