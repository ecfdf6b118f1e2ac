import { signal, type Signal } from '@preact/signals';
import type { AgentClient, ClientError, ConnectionState, TranscriptItem } from '@parley/client';
import type { AgentRef, ConversationSummary } from '@parley/protocol';

/**
 * An in-memory AgentClient for the console's tests: every signal is writable, every call is
 * recorded, and take/close results are chosen per call. It does not imitate the real
 * client's delivery logic; it only stands where the UI expects a client.
 *
 * @example
 * const fake = createFakeAgentClient({ me: { id: 'a1', name: 'Ada' } });
 * fake.queue.value = [summary({ id: 'c1', status: 'waiting' })];
 * fake.takeResult = () => Promise.reject({ code: 'conflict', message: 'taken' });
 */
export function createFakeAgentClient(init: { me?: AgentRef | null; state?: ConnectionState } = {}) {
  const transcripts = new Map<string, Signal<TranscriptItem[]>>();
  const transcriptOf = (id: string) => {
    let s = transcripts.get(id);
    if (!s) transcripts.set(id, (s = signal<TranscriptItem[]>([])));
    return s;
  };
  const fake = {
    state: signal<ConnectionState>(init.state ?? 'online'),
    me: signal<AgentRef | null>(init.me === undefined ? { id: 'a1', name: 'Ada' } : init.me),
    queue: signal<ConversationSummary[]>([]),
    lastError: signal<ClientError | null>(null),
    calls: [] as { method: string; args: unknown[] }[],
    takeResult: (_id: string): Promise<void> => Promise.resolve(),
    closeResult: (_id: string): Promise<void> => Promise.resolve(),
    /** The writable transcript of one conversation (the same signal the UI reads). */
    transcriptOf,
    connect() {
      fake.calls.push({ method: 'connect', args: [] });
    },
    transcript(id: string) {
      fake.calls.push({ method: 'transcript', args: [id] });
      return transcriptOf(id);
    },
    take(id: string) {
      fake.calls.push({ method: 'take', args: [id] });
      return fake.takeResult(id);
    },
    send(id: string, text: string) {
      fake.calls.push({ method: 'send', args: [id, text] });
      return `cid${fake.calls.length}`;
    },
    close(id: string) {
      fake.calls.push({ method: 'close', args: [id] });
      return fake.closeResult(id);
    },
    disconnect() {
      fake.calls.push({ method: 'disconnect', args: [] });
    },
    /** The recorded calls of one method, as argument lists. */
    callsOf(method: string) {
      return fake.calls.filter((c) => c.method === method).map((c) => c.args);
    },
  };
  // Check the shape against the real interface without widening the fake's own type.
  const asClient: AgentClient = fake;
  void asClient;
  return fake;
}
/** What {@link createFakeAgentClient} returns. */
export type FakeAgentClient = ReturnType<typeof createFakeAgentClient>;

/**
 * A conversation summary with defaults, for tests.
 *
 * @example
 * summary({ id: 'c1', status: 'waiting', preview: 'Where is my deposit?' });
 */
export function summary(over: Partial<ConversationSummary> & { id: string }): ConversationSummary {
  return { status: 'waiting', createdAt: 1_000, updatedAt: 1_000, lastSeq: 0, ...over };
}
