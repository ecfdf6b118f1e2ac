import type { Bus, BusHandler, BusMessage } from './types.js';

/** Options for {@link InProcessBus}. */
export interface InProcessBusOptions {
  /** Told about a subscriber that threw; the others still get the message. @default ignore */
  onHandlerError?: (error: unknown, topic: string) => void;
}

/** What every publish returns: delivery is synchronous, so it has always happened. */
const DONE: Promise<void> = Promise.resolve();

/**
 * The {@link Bus} for a single relay process: delivery is synchronous, inside `publish`.
 *
 * @example
 * const bus = new InProcessBus({ onHandlerError: (e) => logger.error(e) });
 */
export class InProcessBus implements Bus {
  readonly #topics = new Map<string, Set<BusHandler>>();
  readonly #onError: (error: unknown, topic: string) => void;

  constructor(options: InProcessBusOptions = {}) {
    this.#onError = options.onHandlerError ?? (() => {});
  }

  publish(topic: string, message: BusMessage): Promise<void> {
    const handlers = this.#topics.get(topic);
    if (handlers?.size === 1) {
      // Usually one handler (the one tab following a conversation): no snapshot to take.
      this.#call(handlers.values().next().value!, message, topic);
    } else if (handlers) {
      // Iterate over a snapshot: a handler that unsubscribes (or subscribes) mid-delivery
      // must not make the loop skip or repeat anyone.
      for (const handler of [...handlers]) this.#call(handler, message, topic);
    }
    // Delivered already: one shared settled promise rather than an async function's per call.
    return DONE;
  }

  #call(handler: BusHandler, message: BusMessage, topic: string): void {
    try {
      handler(message);
    } catch (error) {
      this.#onError(error, topic);
    }
  }

  subscribe(topic: string, handler: BusHandler): () => void {
    let handlers = this.#topics.get(topic);
    if (!handlers) this.#topics.set(topic, (handlers = new Set()));
    // Wrap so the same function subscribed twice gets two independent subscriptions.
    const entry: BusHandler = (m) => handler(m);
    handlers.add(entry);
    return () => {
      const current = this.#topics.get(topic);
      if (!current) return;
      current.delete(entry);
      if (current.size === 0) this.#topics.delete(topic);
    };
  }

  /** Delivery is synchronous, so a subscription is live as soon as subscribe() returns. */
  async settled(): Promise<void> {}

  /** Number of topics with at least one subscriber (to check that nothing leaks). */
  get topicCount(): number {
    return this.#topics.size;
  }

  async close(): Promise<void> {
    this.#topics.clear();
  }
}
