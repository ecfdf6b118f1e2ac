import type { ConversationEvent, ConversationSummary, RosterAgent } from '@parley/protocol';

/**
 * What travels on the bus. Plain JSON, so a bus across processes (Redis pub/sub) can carry it.
 * - `event`: a conversation event was appended (topic `conv:<id>`).
 * - `conversation`: a conversation's status, agent or preview changed (topic `agents`).
 * - `visitor-deleted`: a visitor's data was erased; every relay closes their connections
 *   (topic `visitors`).
 * - `position`, `typing` (topic `conv:<id>`) and `roster` (topic `agents`): live desk state.
 */
export type BusMessage =
  | { kind: 'event'; conversationId: string; event: ConversationEvent }
  | { kind: 'conversation'; conversation: ConversationSummary }
  | { kind: 'visitor-deleted'; visitorId: string }
  // Topic `conv:<id>`: the waiting visitor's place (never stored).
  | { kind: 'position'; conversationId: string; position: number; etaSeconds?: number }
  // Topic `conv:<id>`: someone started or stopped typing (never stored).
  | { kind: 'typing'; conversationId: string; role: 'visitor' | 'agent'; name?: string; typing: boolean }
  // Topic `agents`: every agent's status and load.
  | { kind: 'roster'; agents: RosterAgent[] };

/** A bus subscriber. It may throw; the bus isolates it from the other subscribers. */
export type BusHandler = (message: BusMessage) => void;

/**
 * Publish/subscribe per topic. Topics used by the relay: `conv:<conversationId>` for a
 * conversation's events (see {@link conversationTopic}) and `agents` for queue changes
 * ({@link AGENTS_TOPIC}). Every implementation must pass `describeBus` (bus.suite.ts).
 *
 * @example
 * const off = bus.subscribe(conversationTopic('c1'), (m) => console.log(m));
 * await bus.publish(conversationTopic('c1'), { kind: 'event', conversationId: 'c1', event });
 * off();
 */
export interface Bus {
  /** Deliver to every current subscriber of the topic, in subscription order. */
  publish(topic: string, message: BusMessage): Promise<void>;
  /** Returns the function that unsubscribes (calling it twice is harmless). */
  subscribe(topic: string, handler: BusHandler): () => void;
  /**
   * Resolves once every subscription asked for so far receives what other processes publish.
   * A bus across processes registers subscriptions asynchronously (Redis SUBSCRIBE); the
   * gateway awaits this between subscribing and replaying from the store, so an event
   * appended on another relay in that window is either in the replay or delivered live.
   * A bus that delivers in-process may omit it (or resolve at once).
   */
  settled?(): Promise<void>;
  close(): Promise<void>;
}

/** The topic relays listen on for erased visitors ({@link BusMessage} `visitor-deleted`). */
export const VISITORS_TOPIC = 'visitors';

/** The topic agents listen on for queue changes. */
export const AGENTS_TOPIC = 'agents';

/**
 * The topic of one conversation's events.
 *
 * @example
 * bus.subscribe(conversationTopic(id), onEvent);
 */
export function conversationTopic(conversationId: string): string {
  return `conv:${conversationId}`;
}
