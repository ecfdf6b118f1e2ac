import { signal, type Signal } from '@preact/signals';
import type { AgentClient, ClientError, ConnectionState, TransferTarget, TranscriptItem } from '@parley/client';
import type { AgentDesk, AgentRef, AgentStatus, ConversationSummary, RosterAgent } from '@parley/protocol';

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
  const typings = new Map<string, Signal<boolean>>();
  const typingOf = (id: string) => {
    let s = typings.get(id);
    if (!s) typings.set(id, (s = signal(false)));
    return s;
  };
  const summaries = new Map<string, Signal<ConversationSummary | null>>();
  const summaryOf = (id: string) => {
    let s = summaries.get(id);
    if (!s) summaries.set(id, (s = signal<ConversationSummary | null>(null)));
    return s;
  };
  const fake = {
    /** The writable per-conversation summary (as the relay keeps it, closed ones included). */
    summaryOf,
    summary(id: string) {
      return summaryOf(id);
    },
    roster: signal<RosterAgent[]>([]),
    desk: signal<AgentDesk | null>(null),
    status: signal<AgentStatus>('online'),
    noteResult: (_id: string): Promise<void> => Promise.resolve(),
    transferResult: (_id: string): Promise<void> => Promise.resolve(),
    /** The writable "visitor is typing" signal of one conversation. */
    typingOf,
    typing(id: string) {
      return typingOf(id);
    },
    setTyping(id: string, typing: boolean) {
      fake.calls.push({ method: 'setTyping', args: [id, typing] });
    },
    note(id: string, text: string) {
      fake.calls.push({ method: 'note', args: [id, text] });
      return fake.noteResult(id);
    },
    transfer(id: string, target: TransferTarget) {
      fake.calls.push({ method: 'transfer', args: [id, target] });
      return fake.transferResult(id);
    },
    setStatus(status: AgentStatus) {
      fake.calls.push({ method: 'setStatus', args: [status] });
      fake.status.value = status;
      return Promise.resolve();
    },
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
