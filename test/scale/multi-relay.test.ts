import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createAgentClient,
  createVisitorClient,
  loginAgent,
  pollingTransport,
  type AgentClient,
  type TranscriptItem,
  type VisitorClient,
} from '@parley/client';
import { PostgresStore } from '@parley/relay';
import { DEFAULT_TEST_PG, DEFAULT_TEST_REDIS, findService, probePostgres, probeRedis } from '../../packages/relay/src/testing/services.js';
import { visitor as rawVisitor } from '../integration/helpers.js';
import {
  clientPlatform,
  eventually,
  freePort,
  haveBuild,
  killAll,
  noBuildMessage,
  roundRobinFetch,
  sleep,
  startProxy,
  startRelay,
  until,
  writeConfig,
  type Proxy,
  type RelayProcess,
} from './harness.js';

// Several relays on PostgreSQL + Redis behind a plain round-robin TCP proxy (no sticky
// sessions), driven by the real clients so their outbox and resend are what is tested.
//
// TRANSPORTS lists the client transports the connection-level scenarios run with (the TCP
// proxy balances connections). Long-polling gets its own scenario below, where every HTTP
// request goes to the next relay in turn.
const TRANSPORTS = [{ name: 'websocket', options: { transport: 'websocket' } }] as const;

const pgService = await findService({ suite: 'multi-relay (PostgreSQL)', envVar: 'PARLEY_TEST_PG', defaultUrl: DEFAULT_TEST_PG, probe: probePostgres });
const redisService = await findService({ suite: 'multi-relay (Redis)', envVar: 'PARLEY_TEST_REDIS', defaultUrl: DEFAULT_TEST_REDIS, probe: probeRedis });
const skip = !haveBuild ? noBuildMessage : (pgService.skip ?? redisService.skip);

const PRESENCE_TTL_MS = 1500;
const SHUTDOWN_TIMEOUT_MS = 3000;

const messages = (items: TranscriptItem[]) =>
  items.flatMap((i) => (i.kind === 'message' && i.author.role !== 'bot' && !i.pending ? [`${i.author.role}:${i.text}`] : []));
const settledMessages = (items: TranscriptItem[]) => (items.some((i) => i.kind === 'message' && i.pending) ? [] : messages(items));

interface Cluster {
  a: RelayProcess;
  b: RelayProcess;
  proxy: Proxy;
  schema: string;
  /** Read what the relays stored (same database and schema). */
  store(): Promise<PostgresStore>;
}

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});
afterAll(() => killAll());

/** Two relay processes on one PostgreSQL schema and one Redis prefix (both fresh), and a proxy in front. */
async function startCluster(): Promise<Cluster> {
  const suffix = randomBytes(6).toString('hex');
  const schema = `parley_scale_${suffix}`;
  const config = await writeConfig({
    presenceTtlMs: PRESENCE_TTL_MS,
    shutdownTimeoutMs: SHUTDOWN_TIMEOUT_MS,
    limits: { framesPerSecond: 200, burst: 400 },
  });
  const env = {
    DATABASE_URL: pgService.url!,
    PARLEY_DATABASE_SCHEMA: schema,
    REDIS_URL: redisService.url!,
    PARLEY_REDIS_PREFIX: `parley-test-${suffix}:`,
  };
  // One after the other: both migrate the same new schema (the advisory lock makes that safe either way).
  const a = await startRelay({ config, port: await freePort(), env });
  const b = await startRelay({ config, port: await freePort(), env });
  const proxy = await startProxy([a.port, b.port]);
  const stores: PostgresStore[] = [];
  cleanup.push(async () => {
    for (const s of stores) await s.close();
    await proxy.close();
    a.kill('SIGKILL');
    b.kill('SIGKILL');
    await dropSchema(schema);
  });
  return {
    a,
    b,
    proxy,
    schema,
    async store() {
      const store = await PostgresStore.open({ connectionString: pgService.url!, schema });
      stores.push(store);
      return store;
    },
  };
}

async function dropSchema(schema: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: pgService.url! });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/**
 * Hand the visitor's conversation to the agent, exchange `rounds` messages each way, SIGKILL
 * relay A half-way (after `beforeKill`), then check that both sides and the store hold every
 * message exactly once, in order. Returns what the visitor saw, for transport-specific checks.
 */
async function crashMidConversation(
  cluster: Cluster,
  visitor: VisitorClient,
  agent: AgentClient,
  options: { rounds: number; settleMs: number; beforeKill?: () => void },
): Promise<string[]> {
  const conversationId = visitor.conversation.value!.id;
  visitor.requestHuman();
  await until(agent.queue, (q) => q.some((c) => c.id === conversationId && c.status === 'waiting'), 'the hand-off on B');
  await agent.take(conversationId);
  await until(visitor.status, (s) => s === 'active', 'the visitor sees the agent join (A hears B through Redis)');
  const agentView = agent.transcript(conversationId);

  const expected: string[] = [];
  for (let i = 0; i < options.rounds; i++) {
    visitor.send(`v${i}`);
    agent.send(conversationId, `a${i}`);
    expected.push(`visitor:v${i}`, `agent:a${i}`);
    if (i === options.rounds / 2) {
      options.beforeKill?.();
      cluster.a.kill('SIGKILL');
      expect(await cluster.a.exited).toBe('SIGKILL');
    }
    await sleep(30);
  }

  const byAuthor = (list: string[], role: string) => list.filter((m) => m.startsWith(`${role}:`));
  const complete = (list: string[]) => list.length === expected.length;
  const [onVisitor, onAgent] = await Promise.all([
    until(visitor.transcript, (t) => complete(settledMessages(t)), 'every message on the visitor side', options.settleMs),
    until(agentView, (t) => complete(settledMessages(t)), 'every message on the agent side', options.settleMs),
  ]);
  // Each side's own messages in the order sent; both sides see one and the same sequence.
  const seen = messages(onVisitor);
  expect(byAuthor(seen, 'visitor')).toEqual(byAuthor(expected, 'visitor'));
  expect(byAuthor(seen, 'agent')).toEqual(byAuthor(expected, 'agent'));
  expect(messages(onAgent)).toEqual(seen);

  const store = await cluster.store();
  const events = await store.eventsAfter(conversationId, 0, 1000);
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  const stored = events.flatMap((e) => (e.kind === 'message' && e.author.role !== 'bot' ? [`${e.author.role}:${e.text}`] : []));
  expect(stored).toEqual(seen);
  return seen;
}

describe.skipIf(skip !== undefined).each(TRANSPORTS)('two relays on PostgreSQL + Redis, $name', ({ options }) => {
  let clients: (VisitorClient | AgentClient)[] = [];
  beforeAll(() => {
    cleanup.push(() => {
      for (const c of clients) c.disconnect();
      clients = [];
    });
  });
  const visitorClient = (relay: string) => {
    const c = createVisitorClient({ relay, ...clientPlatform, ...options, storage: null, lang: 'en' });
    clients.push(c);
    return c;
  };
  const agentClient = (relay: string, token: string) => {
    const c = createAgentClient({ relay, ...clientPlatform, ...options, token });
    clients.push(c);
    return c;
  };

  it('the visitor moves to the other relay when its relay is SIGKILLed; every message on both sides exactly once, in order', { timeout: 60_000 }, async () => {
    const cluster = await startCluster();
    const { token } = await loginAgent(cluster.b.url, 'demo', 'demo-password');

    // Round robin: the visitor's connection goes to A, the agent's to B.
    const visitor = visitorClient(cluster.proxy.url);
    visitor.connect();
    await until(visitor.state, (s) => s === 'online', 'visitor online');
    const agent = agentClient(cluster.proxy.url, token);
    agent.connect();
    await until(agent.state, (s) => s === 'online', 'agent online');
    expect(cluster.proxy.routed.slice(0, 2)).toEqual([cluster.a.port, cluster.b.port]);

    await crashMidConversation(cluster, visitor, agent, { rounds: 16, settleMs: 20_000 });
    // The visitor reconnected through the proxy, which could only send it to B.
    expect(cluster.proxy.routed.slice(2)).toContain(cluster.b.port);
    expect(cluster.proxy.routed.slice(2).filter((p) => p !== undefined && p !== cluster.b.port)).toEqual([]);
  });

  it(`a crashed relay's agents and visitors leave presence within the TTL (${PRESENCE_TTL_MS} ms)`, { timeout: 30_000 }, async () => {
    const cluster = await startCluster();
    const { token } = await loginAgent(cluster.b.url, 'demo', 'demo-password');
    const presenceOnB = async () => {
      const res = await fetch(`${cluster.b.url}/api/agent/presence`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      return (await res.json()) as { agents: string[]; visitors: number };
    };
    expect(await presenceOnB()).toEqual({ agents: [], visitors: 0 });

    // Both connect straight to A; B learns of them only through Redis.
    const agent = agentClient(cluster.a.url, token);
    const visitor = visitorClient(cluster.a.url);
    agent.connect();
    visitor.connect();
    await eventually(async () => {
      const p = await presenceOnB();
      return p.agents.includes('demo') && p.visitors === 1;
    }, 'B to see the agent and the visitor on A');
    // Stop the clients from reconnecting anywhere, then crash A: no goodbye is said.
    const killedAt = Date.now();
    cluster.a.kill('SIGKILL');
    agent.disconnect();
    visitor.disconnect();
    await eventually(async () => {
      const p = await presenceOnB();
      return p.agents.length === 0 && p.visitors === 0;
    }, 'the crashed relay\'s sessions to expire', PRESENCE_TTL_MS * 3, 25);
    const gone = Date.now() - killedAt;
    // The last heartbeat was at most ttl/3 before the crash, so expiry comes between 2/3 ttl and ttl after it.
    expect(gone).toBeLessThanOrEqual(PRESENCE_TTL_MS + 300);
    expect(gone).toBeGreaterThanOrEqual((PRESENCE_TTL_MS * 2) / 3 - 100);
  });

  it('SIGTERM: clients are told to go (1001), a burst sent just before is stored exactly once, the relay exits in time', { timeout: 40_000 }, async () => {
    const cluster = await startCluster();
    const visitor = visitorClient(cluster.proxy.url);
    visitor.connect();
    await until(visitor.state, (s) => s === 'online', 'visitor online');
    expect(cluster.proxy.routed[0]).toBe(cluster.a.port);
    const watcher = await rawVisitor(cluster.a.url);

    const BURST = 40;
    const expected = Array.from({ length: BURST }, (_, i) => `visitor:burst ${i}`);
    for (let i = 0; i < BURST; i++) visitor.send(`burst ${i}`);
    const termAt = Date.now();
    cluster.a.kill('SIGTERM');
    expect(await cluster.a.exited).toBe(0);
    expect(Date.now() - termAt).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    expect((await watcher.socket.closed).code).toBe(1001);

    const done = await until(visitor.transcript, (t) => settledMessages(t).length === BURST, 'every burst message acked', 20_000);
    expect(messages(done)).toEqual(expected);
    const store = await cluster.store();
    const events = await store.eventsAfter(visitor.conversation.value!.id, 0, 1000);
    const stored = events.flatMap((e) => (e.kind === 'message' && e.author.role === 'visitor' ? [`visitor:${e.text}`] : []));
    expect(stored).toEqual(expected);
    expect(cluster.proxy.routed.slice(1)).toContain(cluster.b.port);
  });

  it('SIGTERM with a write stuck in the database: the relay exits after shutdownTimeoutMs, the write is resent elsewhere and stored once', { timeout: 40_000 }, async () => {
    const cluster = await startCluster();
    const visitor = visitorClient(cluster.proxy.url);
    visitor.connect();
    await until(visitor.state, (s) => s === 'online', 'visitor online');
    expect(cluster.proxy.routed[0]).toBe(cluster.a.port);
    const conversationId = visitor.conversation.value!.id;

    // Hold the conversation's row lock, as a slow or stuck database would: A's append waits on it.
    const { default: pg } = await import('pg');
    const blocker = new pg.Client({ connectionString: pgService.url! });
    await blocker.connect();
    cleanup.push(() => blocker.end());
    await blocker.query('BEGIN');
    await blocker.query(`SELECT 1 FROM "${cluster.schema}".conversations WHERE id = $1 FOR UPDATE`, [conversationId]);
    visitor.send('stuck in flight');
    await sleep(300);
    expect(messages(visitor.transcript.value)).toEqual([]);

    const termAt = Date.now();
    cluster.a.kill('SIGTERM');
    // Forced exit (code 1) once the bound is spent: the drain cannot finish while the lock is held.
    expect(await cluster.a.exited).toBe(1);
    const took = Date.now() - termAt;
    expect(took).toBeGreaterThanOrEqual(SHUTDOWN_TIMEOUT_MS - 200);
    expect(took).toBeLessThan(SHUTDOWN_TIMEOUT_MS + 2000);
    // The dead relay's transaction was rolled back with its connection: nothing half-done.
    await blocker.query('ROLLBACK');

    const done = await until(visitor.transcript, (t) => settledMessages(t).length === 1, 'the message acked by B', 20_000);
    expect(messages(done)).toEqual(['visitor:stuck in flight']);
    const store = await cluster.store();
    const events = await store.eventsAfter(conversationId, 0, 100);
    expect(events.filter((e) => e.kind === 'message' && e.author.role === 'visitor').map((e) => e.kind === 'message' && e.text)).toEqual([
      'stuck in flight',
    ]);
  });
});

describe.skipIf(skip !== undefined)('two relays on PostgreSQL + Redis, long-polling with no sticky sessions', () => {
  const clients: (VisitorClient | AgentClient)[] = [];
  afterEach(() => {
    for (const c of clients.splice(0)) c.disconnect();
  });

  it('polling requests alternate between the relays on every request; SIGKILL of one loses and doubles nothing', { timeout: 60_000 }, async () => {
    const cluster = await startCluster();
    const hits: number[] = [];
    const visitor = createVisitorClient({
      relay: cluster.a.url,
      ...clientPlatform,
      storage: null,
      lang: 'en',
      transport: pollingTransport({ fetch: roundRobinFetch([cluster.a.port, cluster.b.port], hits) }),
    });
    clients.push(visitor);
    visitor.connect();
    await until(visitor.state, (s) => s === 'online', 'visitor online over polling');
    const { token } = await loginAgent(cluster.b.url, 'demo', 'demo-password');
    const agent = createAgentClient({ relay: cluster.b.url, ...clientPlatform, token, transport: 'websocket' });
    clients.push(agent);
    agent.connect();
    await until(agent.state, (s) => s === 'online', 'agent online');

    await crashMidConversation(cluster, visitor, agent, {
      rounds: 12,
      settleMs: 30_000,
      beforeKill: () => {
        // Before the crash, the visitor's requests were answered by both relays, one after the other.
        expect(new Set(hits)).toEqual(new Set([cluster.a.port, cluster.b.port]));
        expect(hits.some((port, k) => k > 0 && port !== hits[k - 1])).toBe(true);
      },
    });
  });
});

// Said once, and only when it applies: a skipped suite must say why.
if (skip !== undefined) it.skip(`two relays on PostgreSQL + Redis: ${skip}`, () => {});
