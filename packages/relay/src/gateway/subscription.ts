import type { ConversationEvent } from '@parley/protocol';

/** Events read from the store per page while replaying. */
export const REPLAY_PAGE = 500;

/**
 * One conversation a connection follows. It delivers events strictly in seq order, each once:
 * live events arriving during a replay are buffered, and a gap in the live stream (a bus that
 * reordered or dropped something) is filled from the store.
 */
export class Subscription {
  off: (() => void) | null = null;
  /** Called once when the subscription ends (presence bookkeeping). */
  onDispose: (() => void) | null = null;
  #last: number;
  #live = false;
  #buffer: ConversationEvent[] = [];
  #disposed = false;

  constructor(
    readonly conversationId: string,
    afterSeq: number,
    private readonly fetchAfter: (seq: number) => Promise<ConversationEvent[]>,
    private readonly deliver: (event: ConversationEvent) => void,
    private readonly onError: (error: unknown) => void,
  ) {
    this.#last = afterSeq;
  }

  onLive(event: ConversationEvent): void {
    if (this.#disposed || event.seq <= this.#last) return;
    if (!this.#live) {
      this.#buffer.push(event);
      return;
    }
    if (event.seq === this.#last + 1) {
      this.#last = event.seq;
      this.deliver(event);
      return;
    }
    this.#buffer.push(event);
    void this.catchUp().catch(this.onError);
  }

  /** Replay from the store after the last delivered seq, then drain what arrived meanwhile. */
  async catchUp(): Promise<void> {
    this.#live = false;
    for (;;) {
      const page = await this.fetchAfter(this.#last);
      if (this.#disposed) return;
      for (const event of page) {
        if (event.seq <= this.#last) continue;
        this.#last = event.seq;
        this.deliver(event);
      }
      if (page.length < REPLAY_PAGE) break;
    }
    this.#live = true;
    const buffered = this.#buffer.sort((a, b) => a.seq - b.seq);
    this.#buffer = [];
    for (const event of buffered) this.onLive(event);
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.off?.();
    this.off = null;
    const done = this.onDispose;
    this.onDispose = null;
    done?.();
  }
}
