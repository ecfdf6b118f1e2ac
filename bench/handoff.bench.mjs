// Time from hand-off to assignment under a burst: 500 visitors hand off at once to a desk
// of 20 agents (auto routing, capacity 25 each, so every one can be served), all over real
// WebSockets to one relay in this process. For each visitor: from sending `handoff` to
// receiving the `active` status event. Agents' consoles are connected too, so the relay
// also pays for their queue and roster frames, as in production.
import { WebSocket } from 'ws';
import { createRelay, hashPassword } from '../packages/relay/dist/index.js';
import { decodeServerFrame, encode } from '../packages/protocol/dist/index.js';

export const name = 'handoff';

// HANDOFF_VISITORS / HANDOFF_LIMIT_MS / BENCH_LOG (a pino level) are for looking into a slow run.
const VISITORS = Number(process.env.HANDOFF_VISITORS ?? 500);
const AGENTS = 20;
const CAPACITY = 25;
const LIMIT_MS = Number(process.env.HANDOFF_LIMIT_MS ?? 60_000);

/**
 * A raw protocol connection. `only` (a frame type prefix) skips validating other frames: the
 * agents' consoles receive a queue frame per change, and decoding those here would measure
 * this process's client work rather than the relay (they share one event loop).
 */
function open(url, only) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const listeners = new Set();
    ws.on('message', (data) => {
      const raw = String(data);
      if (only && !raw.startsWith(`{"v":1,"type":"${only}"`)) return;
      const d = decodeServerFrame(raw);
      if (d.ok) for (const l of listeners) l(d.frame);
    });
    ws.once('open', () => resolve({ ws, on: (l) => listeners.add(l), send: (f) => ws.send(encode(f)) }));
    ws.once('error', reject);
  });
}
const next = (conn, pred) => new Promise((resolve) => conn.on((f) => pred(f) && resolve(f)));
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

export async function run(log) {
  const passwordHash = await hashPassword('bench-password', { N: 1024, r: 8, p: 1 });
  const agents = Array.from({ length: AGENTS }, (_, i) => ({ id: `a${i}`, username: `a${i}`, name: `Agent ${i}`, passwordHash, capacity: CAPACITY }));
  const relay = await createRelay({
    config: { port: 0, agents, routing: 'auto', limits: { framesPerSecond: 1000, burst: 1000 } },
    logger: process.env.BENCH_LOG ?? 'silent',
    bot: null,
  });
  const wsUrl = relay.url.replace(/^http/, 'ws') + '/ws';
  const conns = [];
  const deadline = setTimeout(async () => {
    const [waiting, active] = await Promise.all([relay.store.listConversations(['waiting'], 10_000), relay.store.listConversations(['active'], 10_000)]);
    log(`handoff bench over its time limit (${waiting.length} waiting, ${active.length} active); stopping`);
    process.exit(1);
  }, LIMIT_MS);
  try {
    for (const a of agents) {
      const res = await fetch(`${relay.url}/api/agent/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: a.username, password: 'bench-password' }) });
      const { token } = await res.json();
      const c = await open(wsUrl, 'welcome');
      conns.push(c);
      const welcome = next(c, (f) => f.type === 'welcome');
      c.send({ type: 'hello', role: 'agent', token });
      await welcome;
    }
    log(`${AGENTS} agents online; connecting ${VISITORS} visitors`);
    const visitors = await Promise.all(
      Array.from({ length: VISITORS }, async () => {
        const c = await open(wsUrl);
        conns.push(c);
        const welcome = next(c, (f) => f.type === 'welcome');
        c.send({ type: 'hello', role: 'visitor', lang: 'en' });
        const conversationId = (await welcome).conversation.id;
        const subscribed = next(c, (f) => f.type === 'ack' && f.id === 's');
        c.send({ type: 'subscribe', id: 's', conversationId, afterSeq: 0 });
        await subscribed;
        return { c, conversationId };
      }),
    );
    log(`handing off ${VISITORS} conversations at once`);
    const started = performance.now();
    const latencies = await Promise.all(
      visitors.map(({ c, conversationId }) => {
        const assigned = next(c, (f) => f.type === 'event' && f.event.kind === 'status' && f.event.status === 'active');
        const t0 = performance.now();
        c.send({ type: 'handoff', id: 'h', conversationId });
        return assigned.then(() => performance.now() - t0);
      }),
    );
    const totalMs = performance.now() - started;
    const sorted = latencies.sort((a, b) => a - b);
    const active = await relay.store.listConversations(['active'], 10_000);
    if (active.length !== VISITORS) throw new Error(`expected ${VISITORS} active conversations, found ${active.length}`);
    return {
      handoff: {
        visitors: VISITORS,
        agents: AGENTS,
        assignP50Ms: +quantile(sorted, 0.5).toFixed(1),
        assignP99Ms: +quantile(sorted, 0.99).toFixed(1),
        assignMaxMs: +sorted[sorted.length - 1].toFixed(1),
        allAssignedMs: +totalMs.toFixed(1),
      },
    };
  } finally {
    clearTimeout(deadline);
    for (const c of conns) c.ws.close();
    await relay.close();
  }
}
