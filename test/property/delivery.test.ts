import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  autoTransport,
  createAgentClient,
  createVisitorClient,
  pollingTransport,
  websocketTransport,
  type AgentClient,
  type BaseClientOptions,
  type KeyValueStorage,
  type TranscriptItem,
  type VisitorClient,
} from '@parley/client';
import { DEMO_AGENT, MemoryStore, createRelay, hashToken, newToken, type Relay, type RelayOptions } from '@parley/relay';
import { createFaultProxy, seeded, type Direction, type FaultProxy } from '../faults/proxy.js';

/** The `ws` package's WebSocket, for the client's `WebSocket` option on Node. */
const NodeWebSocket = WebSocket as unknown as typeof globalThis.WebSocket;

// The delivery guarantee, checked over random schedules: visitor and agent send while the
// path between them breaks (drops, frames cut mid-way, half-open connections, delays), the
// relay restarts on the same durable store, the visitor's page reloads, and the transport
// switches. Once the faults stop and things settle, both sides must hold exactly the same
// transcript, every message each side sent must be in it once, in one order, and that
// order must be the store's.
//
// Replay a failure: the error names FC_SEED and FC_PATH; run
//   FC_SEED=<seed> FC_PATH=<path> npx vitest run test/property/delivery.test.ts
// Shrinking is off by default (each run takes a second or two); FC_SHRINK=1 turns it on.
// FC_RUNS overrides the number of runs per transport.

type Step =
  | { kind: 'visitorSend'; count: number; gapMs: number }
  | { kind: 'agentSend'; count: number; gapMs: number }
  | { kind: 'drop'; reset: boolean; gapMs: number }
  | { kind: 'cut'; direction: Direction | 'any'; gapMs: number }
  | { kind: 'halfOpen'; ms: number; gapMs: number }
  | { kind: 'delay'; maxMs: number; gapMs: number }
  | { kind: 'restart'; gapMs: number }
  | { kind: 'reload'; gapMs: number }
  | { kind: 'switch'; gapMs: number };

/** One way of carrying frames the property runs over. */
interface TransportCase {
  name: string;
  /** The client options that select it (called per client: transports keep per-client state). */
  options: () => Partial<BaseClientOptions>;
  /** What a `switch` step does for this case; absent = no switch steps are generated. */
  switch?: (world: World) => void;
  runs: number;
}

const cases: TransportCase[] = [
  {
    name: 'websocket',
    options: () => ({ transport: 'websocket', WebSocket: NodeWebSocket }),
    runs: 25,
  },
  {
    name: 'polling',
    options: () => ({ transport: 'polling' }),
    runs: 20,
  },
  {
    // Transport switches: a switch step makes the proxy refuse (or allow again) WebSocket
    // upgrades and drops the line, so `auto` falls back to polling mid-conversation and
    // later moves back to a WebSocket (it probes every 300 ms here instead of every minute).
    name: 'auto (WebSocket <-> polling)',
    options: () => ({
      transport: autoTransport({
        websocket: websocketTransport({ WebSocket: NodeWebSocket }),
        polling: pollingTransport(),
        retryWebSocketMs: 300,
        webSocketTimeoutMs: 1_000,
      }),
    }),
    switch: (world) => {
      world.upgradesRefused = !world.upgradesRefused;
      world.proxy.refuseUpgrades(world.upgradesRefused);
      world.proxy.dropAll();
    },
    runs: 20,
  },
];

// Fast timing so a run takes about a second: a half-open connection is declared dead after
// 600 ms of silence (pings every 150 ms keep a healthy one busy), retries within 20-250 ms.
const timing = {
  backoff: { baseMs: 20, capMs: 250 },
  heartbeat: { pingEveryMs: 150, deadAfterMs: 600 },
} satisfies Partial<BaseClientOptions>;
const SETTLE_MS = 15_000;

const gap = fc.integer({ min: 0, max: 60 });
function stepArb(c: TransportCase): fc.Arbitrary<Step> {
  const steps: fc.WeightedArbitrary<Step>[] = [
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('visitorSend' as const), count: fc.integer({ min: 1, max: 3 }), gapMs: gap }) },
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('agentSend' as const), count: fc.integer({ min: 1, max: 3 }), gapMs: gap }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('drop' as const), reset: fc.boolean(), gapMs: gap }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('cut' as const), direction: fc.constantFrom<Direction | 'any'>('up', 'down', 'any'), gapMs: gap }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('halfOpen' as const), ms: fc.integer({ min: 50, max: 900 }), gapMs: gap }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('delay' as const), maxMs: fc.integer({ min: 0, max: 40 }), gapMs: gap }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('restart' as const), gapMs: gap }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('reload' as const), gapMs: gap }) },
  ];
  if (c.switch) steps.push({ weight: 2, arbitrary: fc.record({ kind: fc.constant('switch' as const), gapMs: gap }) });
  return fc.oneof(...steps);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function memoryStorage(): KeyValueStorage {
  const data = new Map<string, string>();
  return { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

/** A transcript item as one comparable line: `seq kind who text` (pending/failed marked). */
function line(i: TranscriptItem): string {
  if (i.kind === 'status') return `${i.seq} status ${i.status}`;
  if (i.kind === 'note') return `${i.seq} note ${i.text}`;
  const mark = i.failed ? ` FAILED(${i.failed.code})` : i.pending ? ' PENDING' : '';
  return `${i.seq ?? '-'} ${i.author.role} ${i.text}${mark}`;
}

/** Everything one property run touches; `dispose` releases all of it. */
class World {
  relay!: Relay;
  proxy!: FaultProxy;
  visitor!: VisitorClient;
  agent!: AgentClient;
  conversationId = '';
  readonly store = new MemoryStore();
  readonly storage = memoryStorage();
  readonly sent = { visitor: [] as string[], agent: [] as string[] };
  readonly faults = { restarts: 0, reloads: 0, switches: 0, halfOpens: 0 };
  upgradesRefused = false;
  #agentToken = newToken();
  #port = 0;
  #n = 0;

  constructor(
    readonly c: TransportCase,
    readonly seed: number,
  ) {}

  #relayOptions(port: number): RelayOptions {
    return { config: { port, agents: [DEMO_AGENT] }, store: this.store, bot: null, logger: 'silent' };
  }

  #clientOptions(salt: number): BaseClientOptions {
    return { relay: this.proxy.url, events: null, random: seeded(this.seed ^ salt), ...timing, ...this.c.options() };
  }

  async start(): Promise<void> {
    this.relay = await createRelay(this.#relayOptions(0));
    this.#port = this.relay.port;
    // An agent session straight in the store: logging in would cost a scrypt hash per run.
    await this.store.createAgentSession({ tokenHash: hashToken(this.#agentToken), agentId: DEMO_AGENT.id, expiresAt: Date.now() + 3_600_000 });
    this.proxy = await createFaultProxy({ target: { port: this.#port }, seed: this.seed });
    this.#newVisitor();
    await waitFor(() => this.visitor.state.value === 'online', 'the visitor online');
    this.conversationId = this.visitor.conversation.value!.id;
    this.visitor.requestHuman();
    await waitFor(() => this.visitor.status.value === 'waiting', 'the hand-off');
    this.agent = createAgentClient({ ...this.#clientOptions(0x5eed), token: this.#agentToken });
    this.agent.connect();
    await waitFor(() => this.agent.state.value === 'online', 'the agent online');
    this.agent.transcript(this.conversationId);
    await this.agent.take(this.conversationId);
    await waitFor(() => this.visitor.status.value === 'active', 'the visitor sees the agent');
  }

  #newVisitor(): void {
    // Same storage as the page before the reload: token and outbox survive.
    this.visitor = createVisitorClient({ ...this.#clientOptions(this.faults.reloads + 1), storage: this.storage, lang: 'en' });
    this.visitor.connect();
  }

  async apply(step: Step): Promise<void> {
    switch (step.kind) {
      case 'visitorSend':
        for (let i = 0; i < step.count; i++) {
          const text = this.#text('v');
          this.visitor.send(text);
          this.sent.visitor.push(text);
        }
        break;
      case 'agentSend':
        for (let i = 0; i < step.count; i++) {
          const text = this.#text('a');
          this.agent.send(this.conversationId, text);
          this.sent.agent.push(text);
        }
        break;
      case 'drop':
        this.proxy.dropAll({ reset: step.reset });
        break;
      case 'cut':
        this.proxy.cutNext(step.direction === 'any' ? undefined : step.direction);
        break;
      case 'halfOpen':
        this.faults.halfOpens++;
        this.proxy.pause();
        await sleep(step.ms);
        this.proxy.resume();
        break;
      case 'delay':
        this.proxy.delay([0, step.maxMs]);
        break;
      case 'restart':
        // A restarted process with a durable store: same port, same data, new everything else.
        this.faults.restarts++;
        await this.relay.close();
        this.relay = await createRelay(this.#relayOptions(this.#port));
        break;
      case 'reload':
        this.faults.reloads++;
        this.visitor.disconnect();
        this.#newVisitor();
        break;
      case 'switch':
        this.faults.switches++;
        this.c.switch?.(this);
        break;
    }
    await sleep(step.gapMs);
  }

  #text(who: string): string {
    return `${who}${++this.#n} from run ${this.seed}`;
  }

  /** Stop the faults and wait until both sides show the same, complete, acknowledged transcript. */
  async settle(): Promise<{ visitor: string[]; agent: string[]; store: string[] }> {
    this.proxy.heal();
    const visitorItems = () => this.visitor.transcript.value;
    const agentItems = () => this.agent.transcript(this.conversationId).value;
    const complete = (items: TranscriptItem[]) => {
      const texts = new Set(items.flatMap((i) => (i.kind === 'message' && !i.pending && !i.failed ? [i.text] : [])));
      return [...this.sent.visitor, ...this.sent.agent].every((t) => texts.has(t)) && items.every((i) => i.kind !== 'message' || (!i.pending && !i.failed));
    };
    try {
      await waitFor(
        () =>
          this.visitor.state.value === 'online' &&
          this.agent.state.value === 'online' &&
          complete(visitorItems()) &&
          complete(agentItems()) &&
          visitorItems().map(line).join('\n') === agentItems().map(line).join('\n'),
        'both sides settled',
        SETTLE_MS,
      );
    } catch {
      // Fall through: the assertions below say what differs.
    }
    const events = await this.store.eventsAfter(this.conversationId, 0, 10_000);
    return {
      visitor: visitorItems().map(line),
      agent: agentItems().map(line),
      store: events.map((e) => (e.kind === 'status' ? `${e.seq} status ${e.status}` : `${e.seq} ${e.author.role} ${e.text}`)),
    };
  }

  async dispose(): Promise<void> {
    this.visitor?.disconnect();
    this.agent?.disconnect();
    await this.proxy?.close();
    await this.relay?.close();
  }
}

async function waitFor(pred: () => boolean, what: string, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(10);
  }
}

/**
 * The first runs: one per kind of fault, with messages both ways around it. Random step
 * lists leave a kind out now and then (a restart is 1 step in 20), and the totals check
 * below wants every kind to have happened; these make sure each did at least once, and the
 * random runs after them mix the faults. They count towards the case's runs.
 */
function faultExamples(c: TransportCase, seed: number): [number, Step[]][] {
  const faults: Step[] = [
    { kind: 'drop', reset: true, gapMs: 30 },
    { kind: 'cut', direction: 'any', gapMs: 30 },
    // Longer than two pings, so some of them are swallowed while the line is half-open.
    { kind: 'halfOpen', ms: 400, gapMs: 30 },
    { kind: 'delay', maxMs: 30, gapMs: 30 },
    { kind: 'restart', gapMs: 30 },
    { kind: 'reload', gapMs: 30 },
    ...(c.switch ? [{ kind: 'switch', gapMs: 30 } as const] : []),
  ];
  return faults.map((fault, i) => [
    ((seed + i) % (2 ** 31 - 1)) + 1,
    [{ kind: 'visitorSend', count: 2, gapMs: 20 }, fault, { kind: 'agentSend', count: 2, gapMs: 20 }, { kind: 'visitorSend', count: 1, gapMs: 0 }],
  ]);
}

/** Run the property; on failure, throw one error that says how to replay it. */
async function check(c: TransportCase, totals: World['faults'] & { cut: number; dropped: number; blackholed: number; refusedUpgrades: number }) {
  const property = fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.array(stepArb(c), { minLength: 1, maxLength: 14 }), async (seed, steps) => {
    const world = new World(c, seed);
    try {
      await world.start();
      for (const step of steps) await world.apply(step);
      const { visitor, agent, store } = await world.settle();
      const messages = store.filter((l) => !l.includes(' status '));
      // Every message each side sent is there, exactly once...
      for (const text of [...world.sent.visitor, ...world.sent.agent]) {
        expect(messages.filter((l) => l.endsWith(` ${text}`)), `"${text}" in the store`).toHaveLength(1);
      }
      expect(messages).toHaveLength(world.sent.visitor.length + world.sent.agent.length);
      // ...and both sides show the store's transcript: same items, same order, nothing pending.
      expect(visitor, 'the visitor transcript').toEqual(store);
      expect(agent, 'the agent transcript').toEqual(store);
      for (const k of ['restarts', 'reloads', 'switches', 'halfOpens'] as const) totals[k] += world.faults[k];
      totals.cut += world.proxy.stats.cut;
      totals.dropped += world.proxy.stats.dropped;
      totals.blackholed += world.proxy.stats.blackholed;
      totals.refusedUpgrades += world.proxy.stats.refusedUpgrades;
    } finally {
      await world.dispose();
    }
  });
  const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : Math.floor(Math.random() * 2 ** 31);
  const details = await fc.check(property, {
    seed,
    examples: faultExamples(c, seed),
    numRuns: process.env.FC_RUNS !== undefined ? Number(process.env.FC_RUNS) : c.runs,
    endOnFailure: process.env.FC_SHRINK !== '1',
    ...(process.env.FC_PATH !== undefined ? { path: process.env.FC_PATH } : {}),
  });
  if (details.failed) {
    const replay = `FC_SEED=${details.seed} FC_PATH=${details.counterexamplePath ?? ''} npx vitest run test/property/delivery.test.ts`;
    const error = new Error(
      `delivery property failed for ${c.name} after ${details.numRuns} run(s)\n` +
        `replay: ${replay}\n` +
        `counterexample: ${JSON.stringify(details.counterexample)}\n` +
        `${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`,
    );
    throw error;
  }
  return details;
}

describe('delivery: every message, both ways, exactly once and in order', () => {
  for (const c of cases) {
    it(
      `${c.name}: across drops, cut frames, half-open connections, delays, relay restarts and reloads`,
      async () => {
        const totals = { restarts: 0, reloads: 0, switches: 0, halfOpens: 0, cut: 0, dropped: 0, blackholed: 0, refusedUpgrades: 0 };
        const details = await check(c, totals);
        // Guard against a property that passes because nothing went wrong: over all runs,
        // every kind of fault must actually have happened.
        if (process.env.FC_DEBUG) console.info(c.name, details.numRuns, 'runs', totals);
        if (process.env.FC_PATH === undefined && details.numRuns >= 10) {
          expect(totals.restarts, 'relay restarts').toBeGreaterThan(0);
          expect(totals.reloads, 'page reloads').toBeGreaterThan(0);
          expect(totals.cut, 'frames cut mid-way').toBeGreaterThan(0);
          expect(totals.dropped, 'dropped connections').toBeGreaterThan(0);
          expect(totals.blackholed, 'chunks lost to half-open connections').toBeGreaterThan(0);
          if (c.switch) {
            expect(totals.switches, 'transport switches').toBeGreaterThan(0);
            expect(totals.refusedUpgrades, 'WebSocket upgrades refused (so polling carried the chat)').toBeGreaterThan(0);
          }
        }
      },
      120_000,
    );
  }
});
