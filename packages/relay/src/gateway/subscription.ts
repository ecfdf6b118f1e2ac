import type { ConversationEvent } from '@parley/protocol';
import { conversationTopic, type Bus, type BusMessage } from '../bus/index.js';

/** Events read from the store per page while replaying. */
export const REPLAY_PAGE = 500;

/**
 * What a {@link Subscription} reads from and delivers to: the connection that follows the
 * conversation. Methods on one shared object rather than three closures per subscription,
 * because a relay holds one subscription per open conversation tab (bench/transport.bench.mjs
 * counts the bytes of an idle one).
 */
export interface SubscriptionOwner {
  /** Up to {@link REPLAY_PAGE} events of the conversation after `seq`, oldest first. */
  fetchAfter(conversationId: string, seq: number): Promise<ConversationEvent[]>;
  /** Hand one event to the client. */
  deliver(conversationId: string, event: ConversationEvent): void;
  /** A replay failed after the subscribe was answered. */
  failed(error: unknown): void;
  /** Any other message on the conversation's topic (position, typing...). */
  other?(conversationId: string, message: BusMessage): void;
}

/**
 * One conversation a connection follows. It delivers events strictly in seq order, each once:
 * live events arriving during a replay are buffered, and a gap in the live stream (a bus that
 * reordered or dropped something) is filled from the store.
 *
 * @example
 * const sub = new Subscription('c1', lastSeq, connection);
 * sub.listen(bus); // first listen, then replay: nothing falls in between
 * await sub.catchUp();
 */
export class Subscription {
  #off: (() => void) | null = null;
  /** Called once when the subscription ends (presence bookkeeping). */
  onDispose: (() => void) | null = null;
  #last: number;
  #live = false;
  /** Live events held while a replay runs; null (not an empty array) while there are none. */
  #buffer: ConversationEvent[] | null = null;
  #disposed = false;

  constructor(
    readonly conversationId: string,
    afterSeq: number,
    private readonly owner: SubscriptionOwner,
  ) {
    this.#last = afterSeq;
  }

  /** Take the conversation's live events from the bus (until {@link dispose}). */
  listen(bus: Bus): void {
    if (this.#disposed) return;
    this.#off = bus.subscribe(conversationTopic(this.conversationId), (message) => this.onBusMessage(message));
  }

  onBusMessage(message: BusMessage): void {
    if (message.kind === 'event') this.onLive(message.event);
    else this.owner.other?.(this.conversationId, message);
  }

  onLive(event: ConversationEvent): void {
    if (this.#disposed || event.seq <= this.#last) return;
    if (!this.#live) {
      (this.#buffer ??= []).push(event);
      return;
    }
    if (event.seq === this.#last + 1) {
      this.#last = event.seq;
      this.owner.deliver(this.conversationId, event);
      return;
    }
    (this.#buffer ??= []).push(event);
    void this.catchUp().catch((error: unknown) => this.owner.failed(error));
  }

  /** Replay from the store after the last delivered seq, then drain what arrived meanwhile. */
  async catchUp(): Promise<void> {
    this.#live = false;
    for (;;) {
      const page = await this.owner.fetchAfter(this.conversationId, this.#last);
      if (this.#disposed) return;
      for (const event of page) {
        if (event.seq <= this.#last) continue;
        this.#last = event.seq;
        this.owner.deliver(this.conversationId, event);
      }
      if (page.length < REPLAY_PAGE) break;
    }
    this.#live = true;
    const buffered = this.#buffer;
    if (!buffered) return;
    this.#buffer = null;
    buffered.sort((a, b) => a.seq - b.seq);
    for (const event of buffered) this.onLive(event);
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#off?.();
    this.#off = null;
    const done = this.onDispose;
    this.onDispose = null;
    done?.();
  }
}
