// Messages per second and p99 delivery latency: one relay on SQLite versus two relays on
// PostgreSQL + Redis, on the same workload. Each relay is its own child process (the built
// CLI, as `parley start` runs it); the load comes from this process over raw WebSockets.
//
// Workload: VISITORS conversations, each handed off and taken by one of AGENTS agent
// connections, then a closed loop per conversation for DURATION_MS: the visitor sends, the
// agent receives it and replies, the visitor receives the reply and sends the next one. With
// two relays, visitor i is on relay i % 2 and its agent on the other one, so every message
// crosses relays through Redis. msgsPerSec counts messages delivered to the other side;
// latency is from `send` leaving the sender to the event reaching the other side.
//
// All processes share one machine here, so two relays compete with PostgreSQL, Redis and the
// load generator for the same cores: the figures compare costs per message, not the capacity
// of a real deployment with a machine per relay. BENCH_MS shortens the measured window.
//
// PostgreSQL and Redis come from PARLEY_TEST_PG / PARLEY_TEST_REDIS (default: loopback, as
// in the tests); without them the two-relay figures are reported as skipped.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createClient } from '@redis/client';
import { WebSocket } from 'ws';

export const name = 'scale';

const VISITORS = 200;
const AGENTS = 10;
const WARMUP_MS = 1000;
const DURATION_MS = Number(process.env.BENCH_MS || 10_000);
const CLI = fileURLToPath(new URL('../packages/relay/dist/cli.js', import.meta.url));
const PG_URL = process.env.PARLEY_TEST_PG || 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.PARLEY_TEST_REDIS || 'redis://127.0.0.1:6379';

export async function run(log) {
  const oneRelay = await scenario(log, 'one relay, SQLite', 1, {});
  let twoRelays;
  const missing = await unreachable();
  if (missing) {
    log(`two relays skipped: ${missing}`);
    twoRelays = { skipped: missing };
  } else {
    const suffix = randomBytes(5).toString('hex');
    const schema = `parley_bench_${suffix}`;
    try {
      twoRelays = await scenario(log, 'two relays, PostgreSQL + Redis', 2, {
        DATABASE_URL: PG_URL,
        PARLEY_DATABASE_SCHEMA: schema,
        REDIS_URL,
        PARLEY_REDIS_PREFIX: `parley-bench-${suffix}:`,
      });
    } finally {
      await dropSchema(schema);
    }
  }
  return { scale: { oneRelay, twoRelays } };
}

async function scenario(log, label, relays, env) {
  const dir = await mkdtemp(join(tmpdir(), 'parley-bench-'));
  const config = join(dir, 'parley.json');
  const huge = 1_000_000;
  await writeFile(
    config,
    JSON.stringify({
      dataDir: join(dir, 'data'),
      // The bench is its own flood: per-connection limits would measure the limiter.
      limits: { framesPerSecond: huge, burst: huge, floodCloseAfter: huge, maxBufferedBytes: 64 * 1024 * 1024 },
    }),
  );
  const procs = [];
  const sockets = [];
  try {
    for (let i = 0; i < relays; i++) procs.push(await startRelay(config, env));
    log(`${label}: ${procs.map((p) => p.url).join(', ')}`);
    const token = await login(procs[procs.length - 1].url);

    const agents = [];
    for (let j = 0; j < AGENTS; j++) {
      const a = await open(procs[(j + 1) % relays].url, sockets);
      a.send({ type: 'hello', role: 'agent', token });
      await a.next((f) => f.type === 'welcome');
      agents.push(a);
    }
    const conversations = [];
    for (let i = 0; i < VISITORS; i++) {
      const relayIndex = i % relays;
      const v = await open(procs[relayIndex].url, sockets);
      v.send({ type: 'hello', role: 'visitor', lang: 'en' });
      const welcome = await v.next((f) => f.type === 'welcome');
      const conversationId = welcome.conversation.id;
      // The agent is on the other relay (when there are two): agent j sits on relay (j + 1) % relays.
      const agent = agents[agentFor(i, relayIndex, relays)];
      v.send({ type: 'subscribe', id: 's', conversationId, afterSeq: 0 });
      await v.next((f) => f.type === 'ack' && f.id === 's');
      v.send({ type: 'handoff', id: 'h', conversationId });
      await v.next((f) => f.type === 'ack' && f.id === 'h');
      agent.send({ type: 'take', id: `t-${i}`, conversationId });
      await agent.next((f) => (f.type === 'ack' || f.type === 'error') && f.id === `t-${i}`);
      agent.send({ type: 'subscribe', id: `s-${i}`, conversationId, afterSeq: 0 });
      await agent.next((f) => f.type === 'ack' && f.id === `s-${i}`);
      conversations.push({ i, conversationId, visitor: v, agent, n: 0 });
    }
    log(`${label}: ${VISITORS} conversations taken by ${AGENTS} agents; measuring for ${DURATION_MS / 1000} s`);

    // The closed loop, driven by events.
    const sentAt = new Map();
    const latencies = [];
    let delivered = 0;
    let measuring = false;
    let running = true;
    const byId = new Map(conversations.map((c) => [c.conversationId, c]));
    const sendFrom = (socket, c, role) => {
      const id = `${role[0]}${c.i}-${c.n++}`;
      sentAt.set(id, performance.now());
      socket.send({ type: 'send', id, conversationId: c.conversationId, text: `${role} message ${id}` });
    };
    const onEvent = (receiver) => (f) => {
      if (f.type !== 'event' || f.event.kind !== 'message' || f.event.author.role === receiver) return;
      const c = byId.get(f.conversationId);
      const started = sentAt.get(f.event.clientId);
      if (!c || started === undefined) return;
      sentAt.delete(f.event.clientId);
      if (measuring) {
        delivered++;
        latencies.push(performance.now() - started);
      }
      if (running) sendFrom(receiver === 'agent' ? c.agent : c.visitor, c, receiver);
    };
    for (const a of agents) a.listen(onEvent('agent'));
    for (const c of conversations) c.visitor.listen(onEvent('visitor'));
    for (const c of conversations) sendFrom(c.visitor, c, 'visitor');
    await sleep(WARMUP_MS);
    measuring = true;
    const started = performance.now();
    await sleep(DURATION_MS);
    measuring = false;
    const elapsed = (performance.now() - started) / 1000;
    running = false;
    latencies.sort((a, b) => a - b);
    const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
    const figures = { msgsPerSec: delivered / elapsed, p50Ms: pct(50), p99Ms: pct(99), relays, visitors: VISITORS, agents: AGENTS };
    log(`${label}: ${figures.msgsPerSec.toFixed(0)} msgs/s, p50 ${figures.p50Ms.toFixed(1)} ms, p99 ${figures.p99Ms.toFixed(1)} ms`);
    return figures;
  } finally {
    for (const s of sockets) s.ws.terminate();
    await Promise.all(procs.map((p) => p.stop()));
    await rm(dir, { recursive: true, force: true });
  }
}

function agentFor(i, relayIndex, relays) {
  // Agents on relay r are those with (j + 1) % relays === r; pick one on the other relay.
  const want = (relayIndex + 1) % relays;
  const candidates = Array.from({ length: AGENTS }, (_, j) => j).filter((j) => (j + 1) % relays === want);
  return candidates[i % candidates.length];
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startRelay(config, env) {
  const port = await freePort();
  const child = spawn(process.execPath, [CLI, 'start', '--config', config, '--port', String(port)], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`relay did not start:\n${output}`)), 15_000);
    child.stdout.on('data', (d) => {
      output += d;
      const m = /running at (http:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.stderr.on('data', (d) => (output += d));
    exited.then((code) => reject(new Error(`relay exited (${code}):\n${output}`)));
  });
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function login(url) {
  const res = await fetch(`${url}/api/agent/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'demo', password: 'demo-password' }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
  return (await res.json()).token;
}

/** A raw protocol socket: send frames, wait for one, or listen to all. */
async function open(relayUrl, sockets) {
  const ws = new WebSocket(relayUrl.replace(/^http/, 'ws') + '/ws');
  const waiters = [];
  const listeners = [];
  ws.on('error', () => {});
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data));
    for (const l of listeners) l(frame);
    const i = waiters.findIndex((w) => w.pred(frame));
    if (i >= 0) waiters.splice(i, 1)[0].resolve(frame);
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const socket = {
    ws,
    send: (frame) => ws.send(JSON.stringify({ v: 1, ...frame })),
    next: (pred, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('bench: no answer from the relay in time')), timeoutMs);
        waiters.push({ pred, resolve: (f) => (clearTimeout(timer), resolve(f)) });
      }),
    listen: (fn) => listeners.push(fn),
  };
  sockets.push(socket);
  return socket;
}

async function unreachable() {
  try {
    const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
    client.on('error', () => {});
    await client.connect();
    await client.end();
  } catch (error) {
    return `PostgreSQL at ${PG_URL} unreachable (${error.message})`;
  }
  try {
    const client = createClient({ url: REDIS_URL, socket: { connectTimeout: 2000, reconnectStrategy: false } });
    client.on('error', () => {});
    await client.connect();
    client.destroy();
  } catch (error) {
    return `Redis at ${REDIS_URL} unreachable (${error.message})`;
  }
  return null;
}

async function dropSchema(schema) {
  const client = new pg.Client({ connectionString: PG_URL });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } catch {
    // Best effort: a leftover bench schema is harmless.
  } finally {
    await client.end().catch(() => {});
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
