import type { AgentDesk, AgentRef, AgentStatus, DeskHours, DeskInfo, RosterAgent, SavedReply } from '@parley/protocol';
import { AGENTS_TOPIC, conversationTopic, type Bus, type BusMessage } from '../bus/index.js';
import type { AgentConfig, TopicConfig } from '../config.js';
import type { CapacityPolicy, ConversationService } from '../conversations/index.js';
import type { Timers } from '../gateway/index.js';
import type { Logger } from '../logger.js';
import type { ConversationRecord, Store } from '../store/index.js';
import { isOpen } from './hours.js';
import { queueOrder } from './order.js';

/** Options for {@link Desk}. */
export interface DeskOptions {
  store: Store;
  bus: Bus;
  service: ConversationService;
  agents: AgentConfig[];
  /** @default 'pick' */
  routing?: 'auto' | 'pick';
  topics?: TopicConfig[];
  savedReplies?: SavedReply[];
  hours?: DeskHours;
  /** A waiting conversation whose visitor stays away this long becomes a ticket. @default 600000 */
  unansweredTicketAfterMs?: number;
  /** At most one `typing: true` per sender and conversation this often. @default 1000 */
  typingIntervalMs?: number;
  /** The handling time assumed before any chat closed, for wait estimates. @default 300 */
  defaultHandleSeconds?: number;
  logger?: Logger;
  /** @default Date.now */
  now?: () => number;
  /** @default global timers */
  timers?: Timers;
}

interface AgentState {
  config: AgentConfig;
  status: AgentStatus;
  connections: number;
  /** When they last got a conversation (ties in load go to the one idle longest). */
  lastAssignedAt: number;
}

/** How many recent handling times the wait estimate averages. */
const HANDLE_SAMPLES = 50;
/** Most waiting conversations one routing pass reads. */
const MAX_WAITING = 100_000;

const primary = (lang: string | undefined) => lang?.split('-')[0]!.toLowerCase();

/**
 * The desk: agent presence and status, capacity, the queue order, automatic assignment,
 * every waiting visitor's position and estimated wait, typing throttles, and turning chats
 * nobody answered into tickets. One per relay process; it learns about conversation changes
 * from the bus (topic `agents`), like every other subscriber.
 *
 * Assignment is a compare-and-set in the store (`waiting -> active`), so a conversation is
 * never given twice even when several relays route at once; capacity is counted in this
 * process (a slot is reserved before the set and released after), so with several relays
 * sharing agents an agent can briefly exceed capacity by the number of relays minus one.
 *
 * @example
 * const desk = new Desk({ store, bus, service, agents: config.agents, routing: 'auto' });
 * await desk.start();
 */
export class Desk implements CapacityPolicy {
  readonly #store: Store;
  readonly #bus: Bus;
  readonly #service: ConversationService;
  readonly #routing: 'auto' | 'pick';
  readonly #topics: TopicConfig[];
  readonly #savedReplies: SavedReply[];
  readonly #hours: DeskHours | undefined;
  readonly #unansweredMs: number;
  readonly #typingMs: number;
  readonly #defaultHandleMs: number;
  readonly #log: Logger | undefined;
  readonly #now: () => number;
  readonly #timers: Timers;

  readonly #agents = new Map<string, AgentState>();
  /** conversationId -> agentId, for every active conversation. */
  readonly #active = new Map<string, string>();
  readonly #load = new Map<string, number>();
  readonly #reserved = new Map<string, number>();
  readonly #assignedAt = new Map<string, number>();
  readonly #handleMs: number[] = [];
  readonly #positions = new Map<string, { position: number; etaSeconds?: number }>();
  readonly #visitors = new Map<string, number>();
  readonly #unansweredTimers = new Map<string, unknown>();
  readonly #typing = new Map<string, number>();
  #rosterJson = '';
  #off: (() => void) | null = null;
  #pass: Promise<void> = Promise.resolve();
  #scheduled = false;
  #closed = false;

  constructor(options: DeskOptions) {
    this.#store = options.store;
    this.#bus = options.bus;
    this.#service = options.service;
    this.#routing = options.routing ?? 'pick';
    this.#topics = options.topics ?? [];
    this.#savedReplies = options.savedReplies ?? [];
    this.#hours = options.hours;
    this.#unansweredMs = options.unansweredTicketAfterMs ?? 600_000;
    this.#typingMs = options.typingIntervalMs ?? 1000;
    this.#defaultHandleMs = (options.defaultHandleSeconds ?? 300) * 1000;
    this.#log = options.logger;
    this.#now = options.now ?? Date.now;
    this.#timers = options.timers ?? {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    };
    for (const config of options.agents) this.#agents.set(config.id, { config, status: 'offline', connections: 0, lastAssignedAt: 0 });
  }

  /** Load who has what from the store, start listening, lend capacity to the service, route once. */
  async start(): Promise<void> {
    for (const c of await this.#store.listConversations(['active'], MAX_WAITING)) {
      if (c.agent) this.#setActive(c.id, c.agent.id);
    }
    this.#off = this.#bus.subscribe(AGENTS_TOPIC, (m) => this.#onMessage(m));
    this.#service.useCapacity(this);
    this.schedule();
  }

  /** Stop listening and drop timers; waits for a routing pass in flight. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#off?.();
    for (const t of this.#unansweredTimers.values()) this.#timers.clearTimeout(t);
    this.#unansweredTimers.clear();
    await this.#pass;
  }

  /** Resolves when no routing pass is scheduled or running (tests, benchmarks). */
  async idle(): Promise<void> {
    while (this.#scheduled) await this.#pass;
    await this.#pass;
  }

  get routing(): 'auto' | 'pick' {
    return this.#routing;
  }

  // ------------------------------------------------------------------ agents

  #agent(ref: AgentRef): AgentState {
    let state = this.#agents.get(ref.id);
    if (!state) {
      // An agent the store knows but the config does not (added by another tool): defaults.
      state = {
        config: { id: ref.id, username: ref.id, name: ref.name, passwordHash: '', languages: [], teams: [], capacity: 3, defaultStatus: 'online' },
        status: 'offline',
        connections: 0,
        lastAssignedAt: 0,
      };
      this.#agents.set(ref.id, state);
    }
    return state;
  }

  /** An agent connection said hello. The first one brings the agent online (their default status). */
  agentConnected(ref: AgentRef): AgentStatus {
    const state = this.#agent(ref);
    if (state.connections++ === 0) state.status = state.config.defaultStatus;
    this.#changed();
    return state.status;
  }

  /** An agent connection closed. With none left, the agent is offline. */
  agentDisconnected(agentId: string): void {
    const state = this.#agents.get(agentId);
    if (!state || state.connections === 0) return;
    if (--state.connections === 0) state.status = 'offline';
    this.#changed();
  }

  /** The agent's status now (`offline` for an agent the desk does not know). */
  statusOf(agentId: string): AgentStatus {
    return this.#agents.get(agentId)?.status ?? 'offline';
  }

  /** The agent sets their status (from one of their connections). */
  setStatus(agentId: string, status: AgentStatus): void {
    const state = this.#agents.get(agentId);
    if (!state) return;
    state.status = status;
    this.#changed();
  }

  /** The agent, when they exist and are not offline (a transfer target). */
  reachableAgent(agentId: string): AgentRef | null {
    const state = this.#agents.get(agentId);
    return state && state.status !== 'offline' ? { id: state.config.id, name: state.config.name } : null;
  }

  /** What an agent's console needs to know about the desk. */
  agentDesk(lang = 'en'): AgentDesk {
    const teams = new Set<string>();
    for (const a of this.#agents.values()) for (const t of a.config.teams) teams.add(t);
    for (const t of this.#topics) if (t.team) teams.add(t.team);
    return { routing: this.#routing, savedReplies: this.#savedReplies, teams: [...teams].sort(), topics: this.#topicList(lang) };
  }

  /** Every agent with status and load. */
  roster(): RosterAgent[] {
    return [...this.#agents.values()].map((a) => ({
      id: a.config.id,
      name: a.config.name,
      status: a.status,
      languages: a.config.languages,
      teams: a.config.teams,
      capacity: a.config.capacity,
      load: this.#load.get(a.config.id) ?? 0,
    }));
  }

  #changed(): void {
    this.#publishRoster();
    this.schedule();
  }

  #publishRoster(): void {
    const agents = this.roster();
    const json = JSON.stringify(agents);
    if (json === this.#rosterJson || this.#closed) return;
    this.#rosterJson = json;
    this.#bus.publish(AGENTS_TOPIC, { kind: 'roster', agents }).catch((error: unknown) => this.#log?.error({ err: error }, 'roster publish failed'));
  }

  // ------------------------------------------------------------------ capacity (CapacityPolicy)

  reserve(agentId: string): boolean {
    const state = this.#agents.get(agentId);
    const capacity = state?.config.capacity ?? 3;
    const used = (this.#load.get(agentId) ?? 0) + (this.#reserved.get(agentId) ?? 0);
    if (used >= capacity) return false;
    this.#reserved.set(agentId, (this.#reserved.get(agentId) ?? 0) + 1);
    return true;
  }

  release(agentId: string, conversationId?: string): void {
    this.#reserved.set(agentId, Math.max(0, (this.#reserved.get(agentId) ?? 0) - 1));
    if (conversationId !== undefined) {
      this.#setActive(conversationId, agentId);
      const state = this.#agents.get(agentId);
      if (state) state.lastAssignedAt = this.#now();
    }
  }

  #setActive(conversationId: string, agentId: string | null): void {
    const previous = this.#active.get(conversationId);
    if (previous === agentId) return;
    if (previous !== undefined) {
      this.#load.set(previous, Math.max(0, (this.#load.get(previous) ?? 0) - 1));
      this.#active.delete(conversationId);
    }
    if (agentId !== null) {
      this.#active.set(conversationId, agentId);
      this.#load.set(agentId, (this.#load.get(agentId) ?? 0) + 1);
      if (!this.#assignedAt.has(conversationId)) this.#assignedAt.set(conversationId, this.#now());
    }
  }

  // ------------------------------------------------------------------ conversation changes

  #onMessage(message: BusMessage): void {
    if (message.kind !== 'conversation') return;
    const c = message.conversation;
    if (c.status === 'active' && c.agent) this.#setActive(c.id, c.agent.id);
    else this.#setActive(c.id, null);
    if (c.status === 'closed') {
      const since = this.#assignedAt.get(c.id);
      this.#assignedAt.delete(c.id);
      if (since !== undefined) {
        this.#handleMs.push(Math.max(0, this.#now() - since));
        if (this.#handleMs.length > HANDLE_SAMPLES) this.#handleMs.shift();
      }
    }
    if (c.status !== 'waiting') this.#cancelUnanswered(c.id);
    else if ((this.#visitors.get(c.id) ?? 0) === 0) this.#armUnanswered(c.id);
    if (c.status !== 'bot') {
      this.#publishRoster();
      this.schedule();
    }
  }

  /** Run a routing pass soon. Passes never overlap; a burst of changes costs one more pass. */
  schedule(): void {
    if (this.#scheduled || this.#closed) return;
    this.#scheduled = true;
    this.#pass = this.#pass
      .then(async () => {
        this.#scheduled = false;
        if (!this.#closed) await this.#route();
      })
      .catch((error: unknown) => this.#log?.error({ err: error }, 'routing pass failed'));
  }

  #fits(agent: AgentState, c: Pick<ConversationRecord, 'lang' | 'team'>): boolean {
    if (agent.status !== 'online') return false;
    const lang = primary(c.lang);
    if (lang !== undefined && agent.config.languages.length > 0 && !agent.config.languages.includes(lang)) return false;
    return c.team === undefined || agent.config.teams.includes(c.team);
  }

  #free(agent: AgentState): number {
    return agent.config.capacity - (this.#load.get(agent.config.id) ?? 0) - (this.#reserved.get(agent.config.id) ?? 0);
  }

  /** The fitting agent with free capacity and the lowest load, then idle longest. */
  #pick(c: ConversationRecord): AgentState | null {
    let best: AgentState | null = null;
    for (const a of this.#agents.values()) {
      if (!this.#fits(a, c) || this.#free(a) <= 0) continue;
      if (
        !best ||
        (this.#load.get(a.config.id) ?? 0) < (this.#load.get(best.config.id) ?? 0) ||
        ((this.#load.get(a.config.id) ?? 0) === (this.#load.get(best.config.id) ?? 0) && a.lastAssignedAt < best.lastAssignedAt)
      ) {
        best = a;
      }
    }
    return best;
  }

  async #route(): Promise<void> {
    let waiting = (await this.#store.listConversations(['waiting'], MAX_WAITING)).sort(queueOrder);
    if (this.#routing === 'auto') {
      const left: ConversationRecord[] = [];
      for (const c of waiting) {
        if (this.#closed) return;
        const agent = this.#pick(c);
        if (!agent) {
          left.push(c);
          continue;
        }
        const result = await this.#service.assign(c.id, { id: agent.config.id, name: agent.config.name }, 'system');
        // null: someone took or closed it meanwhile; 'full': the agent filled up meanwhile.
        if (result === 'full') left.push(c);
      }
      waiting = left;
    }
    this.#updatePositions(waiting);
    this.#publishRoster();
  }

  /** Average handling time in ms over recent chats (the configured default before any). */
  #averageHandleMs(): number {
    if (this.#handleMs.length === 0) return this.#defaultHandleMs;
    return this.#handleMs.reduce((a, b) => a + b, 0) / this.#handleMs.length;
  }

  #updatePositions(waiting: ConversationRecord[]): void {
    const handleSeconds = this.#averageHandleMs() / 1000;
    const groups = new Map<string, number>();
    const seen = new Set<string>();
    for (const c of waiting) {
      seen.add(c.id);
      // The conversations competing for the same agents: same language, same team.
      const key = `${primary(c.lang) ?? ''}|${c.team ?? ''}`;
      const position = (groups.get(key) ?? 0) + 1;
      groups.set(key, position);
      let slots = 0;
      let free = 0;
      for (const a of this.#agents.values()) {
        if (!this.#fits(a, c)) continue;
        slots += a.config.capacity;
        free += Math.max(0, this.#free(a));
      }
      const next = slots > 0 ? { position, etaSeconds: Math.ceil(Math.max(0, position - free) / slots) * Math.round(handleSeconds) } : { position };
      const prev = this.#positions.get(c.id);
      if (prev && prev.position === next.position && prev.etaSeconds === next.etaSeconds) continue;
      this.#positions.set(c.id, next);
      this.#bus
        .publish(conversationTopic(c.id), { kind: 'position', conversationId: c.id, ...next })
        .catch((error: unknown) => this.#log?.error({ err: error }, 'position publish failed'));
    }
    for (const id of this.#positions.keys()) if (!seen.has(id)) this.#positions.delete(id);
  }

  /** The last computed place of a waiting conversation (sent on subscribe), or null. */
  positionOf(conversationId: string): { position: number; etaSeconds?: number } | null {
    return this.#positions.get(conversationId) ?? null;
  }

  // ------------------------------------------------------------------ visitors

  /** A visitor connection follows the conversation: no ticket while someone is there. */
  visitorUp(conversationId: string): void {
    this.#visitors.set(conversationId, (this.#visitors.get(conversationId) ?? 0) + 1);
    this.#cancelUnanswered(conversationId);
  }

  /** A visitor connection stopped following it; with none left, a waiting chat starts its ticket timer. */
  visitorDown(conversationId: string, status: string | undefined): void {
    const n = (this.#visitors.get(conversationId) ?? 0) - 1;
    if (n > 0) {
      this.#visitors.set(conversationId, n);
      return;
    }
    this.#visitors.delete(conversationId);
    if (status === 'waiting' || this.#positions.has(conversationId)) this.#armUnanswered(conversationId);
  }

  #armUnanswered(conversationId: string): void {
    if (this.#unansweredTimers.has(conversationId) || this.#closed) return;
    const timer = this.#timers.setTimeout(() => {
      this.#unansweredTimers.delete(conversationId);
      this.#service.unanswered(conversationId).catch((error: unknown) => this.#log?.error({ err: error, conversationId }, 'unanswered chat to ticket failed'));
    }, this.#unansweredMs);
    (timer as { unref?: () => void }).unref?.();
    this.#unansweredTimers.set(conversationId, timer);
  }

  #cancelUnanswered(conversationId: string): void {
    const timer = this.#unansweredTimers.get(conversationId);
    if (timer === undefined) return;
    this.#timers.clearTimeout(timer);
    this.#unansweredTimers.delete(conversationId);
  }

  /**
   * Whether to forward a typing signal now: a change to `false` always; `true` at most once per
   * `typingIntervalMs` per sender and conversation (clients refresh it every 2 s while typing).
   */
  typingAllowed(conversationId: string, role: string, typing: boolean): boolean {
    const key = `${conversationId}|${role}`;
    if (!typing) {
      const was = this.#typing.delete(key);
      return was;
    }
    const now = this.#now();
    const last = this.#typing.get(key);
    if (last !== undefined && now - last < this.#typingMs) return false;
    // Bounded: forget the oldest entries when many conversations type at once.
    if (this.#typing.size > 10_000) this.#typing.delete(this.#typing.keys().next().value!);
    this.#typing.set(key, now);
    return true;
  }

  // ------------------------------------------------------------------ pre-chat

  #topicList(lang: string) {
    const l = primary(lang) ?? 'en';
    return this.#topics.map((t) => ({
      id: t.id,
      label: t.labels[l] ?? t.labels.en ?? Object.values(t.labels)[0] ?? t.id,
      ...(t.urgent ? { urgent: true } : {}),
      ...(t.team !== undefined ? { team: t.team } : {}),
    }));
  }

  /** `GET /api/desk`: topics in `lang`, languages, and whether a fitting agent is online in hours. */
  info(lang?: string, topicId?: string): DeskInfo {
    const team = topicId === undefined ? undefined : this.#topics.find((t) => t.id === topicId)?.team;
    const probe = { ...(lang !== undefined ? { lang } : {}), ...(team !== undefined ? { team } : {}) };
    let agentsOnline = 0;
    const languages = new Set<string>();
    for (const a of this.#agents.values()) {
      for (const l of a.config.languages) languages.add(l);
      if (this.#fits(a, probe)) agentsOnline++;
    }
    const inHours = this.#hours === undefined || isOpen(this.#hours, this.#now());
    const open = inHours && agentsOnline > 0;
    return {
      topics: this.#topicList(lang ?? 'en'),
      languages: [...languages].sort(),
      open,
      ...(open ? {} : { reason: inHours ? ('no_agents' as const) : ('closed_hours' as const) }),
      agentsOnline,
      ...(this.#hours ? { hours: this.#hours } : {}),
    };
  }
}
