import type { Bus, BusHandler, BusMessage } from './types.js';

/** Options for {@link InProcessBus}. */
export interface InProcessBusOptions {
  /** Told about a subscriber that threw; the others still get the message. @default ignore */
  onHandlerError?: (error: unknown, topic: string) => void;
}

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

  async publish(topic: string, message: BusMessage): Promise<void> {
    const handlers = this.#topics.get(topic);
    if (!handlers) return;
    // Iterate over a snapshot: a handler that unsubscribes (or subscribes) mid-delivery
    // must not make the loop skip or repeat anyone.
    for (const handler of [...handlers]) {
      try {
        handler(message);
      } catch (error) {
        this.#onError(error, topic);
      }
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
