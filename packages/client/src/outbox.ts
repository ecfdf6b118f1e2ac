import type { SendFrame, Unversioned } from '@parley/protocol';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import type { Platform, TimerHandle } from './platform.js';
import type { SafeStorage } from './storage.js';

/** @internal One unacked outgoing message. */
export interface OutboxEntry {
  /** Client message id (nanoid); the relay dedupes on it, so resending is safe. */
  id: string;
  /** Null until the visitor's conversation is known (a message typed before the first welcome). */
  conversationId: string | null;
  text: string;
  at: number;
}

/**
 * Relay error codes that will not change on a resend: the message is marked failed and
 * leaves the outbox. `rate_limited` and `internal` are transient (resent after a backoff);
 * any other code keeps the message for the next reconnect.
 */
export const PERMANENT_SEND_ERRORS: ReadonlySet<string> = new Set(['too_large', 'bad_frame', 'closed', 'forbidden', 'not_found']);
const RETRY_SOON = new Set(['rate_limited', 'internal']);

/** @internal */
export interface Outbox {
  entries(): readonly OutboxEntry[];
  get(id: string): OutboxEntry | undefined;
  /** Keep the message and send it now if possible. */
  push(entry: OutboxEntry): void;
  /** Give messages typed before the conversation was known their conversation. */
  assign(conversationId: string): void;
  /** Send every kept message, in the order they were written. */
  resendAll(): void;
  /** The relay has it: forget it. Returns the entry when it was kept. */
  ack(id: string): OutboxEntry | undefined;
  /**
   * The relay refused it. Returns 'failed' (removed; show it as failed), 'retry' (kept,
   * resent later) or 'unknown' (not an outbox id).
   */
  refuse(id: string, code: string): 'failed' | 'retry' | 'unknown';
  /** Stop the retry timer (on disconnect). */
  stop(): void;
}

/** @internal Where and how the outbox persists and sends. */
export interface OutboxOptions {
  platform: Platform;
  send: (frame: Unversioned<SendFrame>) => boolean;
  /** Persist here (the visitor); omitted = memory only (the agent). */
  storage?: { store: SafeStorage; key: string } | undefined;
  backoff?: BackoffOptions | undefined;
}

/**
 * @internal The outbox: every message is kept until the relay acks its client id, and
 * resent on every (re)connect. With storage it survives a page reload.
 */
export function createOutbox(o: OutboxOptions): Outbox {
  let list: OutboxEntry[] = o.storage ? load(o.storage.store, o.storage.key) : [];
  let retryTimer: TimerHandle | undefined;
  let retryAttempt = 0;

  const persist = () => {
    if (!o.storage) return;
    if (list.length === 0) o.storage.store.remove(o.storage.key);
    else o.storage.store.set(o.storage.key, JSON.stringify(list));
  };
  const sendOne = (e: OutboxEntry): boolean =>
    e.conversationId === null ? true : o.send({ type: 'send', id: e.id, conversationId: e.conversationId, text: e.text });
  const resendAll = () => {
    for (const e of list) if (!sendOne(e)) return; // not connected: the next welcome resends
  };

  return {
    entries: () => list,
    get: (id) => list.find((e) => e.id === id),
    push(entry) {
      if (list.some((e) => e.id === entry.id)) return;
      list = [...list, entry];
      persist();
      sendOne(entry);
    },
    assign(conversationId) {
      if (!list.some((e) => e.conversationId === null)) return;
      list = list.map((e) => (e.conversationId === null ? { ...e, conversationId } : e));
      persist();
    },
    resendAll,
    ack(id) {
      const entry = list.find((e) => e.id === id);
      if (!entry) return undefined;
      list = list.filter((e) => e !== entry);
      retryAttempt = 0;
      persist();
      return entry;
    },
    refuse(id, code) {
      const entry = list.find((e) => e.id === id);
      if (!entry) return 'unknown';
      if (PERMANENT_SEND_ERRORS.has(code)) {
        list = list.filter((e) => e !== entry);
        persist();
        return 'failed';
      }
      if (RETRY_SOON.has(code) && retryTimer === undefined) {
        // One timer for the whole outbox: resending all in order keeps the order, and the
        // relay dedupes the ones it already has.
        retryTimer = o.platform.setTimeout(() => {
          retryTimer = undefined;
          resendAll();
        }, Math.max(1, backoffDelay(retryAttempt++, o.platform.random, o.backoff)));
      }
      return 'retry';
    },
    stop() {
      if (retryTimer !== undefined) o.platform.clearTimeout(retryTimer);
      retryTimer = undefined;
    },
  };
}

/** Read a persisted outbox, keeping only well-formed entries: storage is user-editable. */
function load(store: SafeStorage, key: string): OutboxEntry[] {
  const raw = store.get(key);
  if (!raw) return [];
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!Array.isArray(data)) return [];
  const out: OutboxEntry[] = [];
  for (const d of data as unknown[]) {
    if (typeof d !== 'object' || d === null) continue;
    const e = d as Record<string, unknown>;
    if (
      typeof e.id === 'string' &&
      typeof e.text === 'string' &&
      typeof e.at === 'number' &&
      (typeof e.conversationId === 'string' || e.conversationId === null)
    ) {
      out.push({ id: e.id, conversationId: e.conversationId, text: e.text, at: e.at });
    }
  }
  return out;
}
