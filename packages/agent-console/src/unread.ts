import { signal, type ReadonlySignal } from '@preact/signals';
import type { ConversationSummary } from '@parley/protocol';
import { SEEN_KEY, type SafeStorage } from './storage.js';

/** Keep at most this many conversations in the seen map, so storage cannot grow without bound. */
const MAX_TRACKED = 1000;

/**
 * Tracks, per conversation, the last seq the agent has seen, and derives unread counts from
 * the queue's `lastSeq`. The relay numbers every event (messages and status changes) with a
 * gap-free seq, so `lastSeq - seen` is the number of events that arrived since the agent
 * last looked. A conversation never opened counts everything as unread.
 *
 * @example
 * const unread = createUnreadTracker(safeStorage(sessionStorage));
 * unread.markSeen('c1', 12);
 * unread.count({ id: 'c1', lastSeq: 15 }); // 3
 */
export function createUnreadTracker(storage: SafeStorage) {
  // A Map, not an object: ids are relay-chosen strings and `__proto__` is a valid id.
  const seen = signal<ReadonlyMap<string, number>>(load(storage));

  return {
    /** The seen map as a signal (conversation id -> last seen seq). */
    seen: seen as ReadonlySignal<ReadonlyMap<string, number>>,
    /** Unread events of one conversation. Reading it subscribes to the seen map. */
    count(summary: Pick<ConversationSummary, 'id' | 'lastSeq'>): number {
      return Math.max(0, summary.lastSeq - (seen.value.get(summary.id) ?? 0));
    },
    /** Record that the agent has seen everything up to `seq` (never moves backwards). */
    markSeen(conversationId: string, seq: number): void {
      const before = seen.peek().get(conversationId) ?? 0;
      if (!(seq > before)) return;
      const next = new Map(seen.peek());
      // Re-insert so the map's order is "least recently updated first".
      next.delete(conversationId);
      next.set(conversationId, seq);
      for (const id of next.keys()) {
        if (next.size <= MAX_TRACKED) break;
        next.delete(id);
      }
      seen.value = next;
      storage.set(SEEN_KEY, JSON.stringify([...next]));
    },
    /** Forget everything (on log out). */
    clear(): void {
      seen.value = new Map();
      storage.remove(SEEN_KEY);
    },
  };
}
/** What {@link createUnreadTracker} returns. */
export type UnreadTracker = ReturnType<typeof createUnreadTracker>;

/** Reads the stored `[id, seq][]`, skipping any entry that is not a string and a non-negative integer. */
function load(storage: SafeStorage): Map<string, number> {
  const out = new Map<string, number>();
  const raw = storage.get(SEEN_KEY);
  if (!raw) return out;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return out;
    for (const entry of parsed.slice(-MAX_TRACKED)) {
      if (!Array.isArray(entry)) continue;
      const [id, seq] = entry as unknown[];
      if (typeof id === 'string' && typeof seq === 'number' && Number.isInteger(seq) && seq >= 0) out.set(id, seq);
    }
  } catch {
    // A corrupt entry only costs the unread counts.
  }
  return out;
}
