// Transport figures: round-trip time under load and memory per idle connection, for Parley
// over WebSocket and over long-polling, beside two references measured in the same run on
// the identical workload: a bare `ws` echo server (the floor) and a Socket.IO echo server
// (what most people would pick).
//
// Workload: VISITORS concurrent clients on loopback, each sending one short message every
// second (phases spread evenly over the second). Per target: one unmeasured WARMUP_ROUND_S
// window (JIT), then ROUNDS windows of WARMUP_S + MEASURE_S seconds, interleaved between the
// WebSocket targets (polling runs alone afterwards); each figure is the median over rounds.
// The RTT of a message is the time from handing it to the client to its echo (Parley: the
// relay's confirmation that it is stored, see confirmedId; ws and Socket.IO: the echoed
// message).
//
// Every server runs in its own child process (this file, forked with PARLEY_BENCH_SERVER
// set), so the load generator does not share a CPU core's time slices with it, and so memory
// is measured in a process that holds nothing else: the child reports heapUsed + external
// after a full GC, before and after IDLE idle connections open. Each target's clients run in
// a load-generator child of their own too (PARLEY_BENCH_LOAD set; see startTarget); this
// process only orders the rounds and gathers the figures.
//
// Run: npm run bench -- transport   (add --json for one JSON line)
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const name = 'transport';

const VISITORS = Number(process.env.BENCH_VISITORS ?? 1000);
const IDLE = Number(process.env.BENCH_IDLE ?? 1000);
const WARMUP_S = 0.5;
/**
 * The measured seconds per round: 5 s, a p99 over 5,000 messages. (Until 2026-12-07 it was
 * 2 s: then one 10-20 ms GC pause in any of the processes, which lands in a window now and
 * then, delays 20-40 messages, enough to set that round's p99 by itself.)
 */
const MEASURE_S = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
/** The unmeasured first window per target, in s (JIT warm-up). */
const WARMUP_ROUND_S = 3;
const CONNECT_BATCH = 100;
/** A 1 ms timer waking this much later than due counts as a stall of the machine, in ms. */
const STALL_MS = 0.5;
/** Comma-separated subset of rawWs,socketio,websocket,websocketSqlite,relayOnly,polling,memory to run (for profiling). @default all */
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : null;
const want = (part) => !ONLY || ONLY.has(part);
/**
 * The Parley relay's store for the websocket, relayOnly and polling targets: `memory`, or
 * `sqlite` (what `npm start` runs, in a temporary file). The websocketSqlite target always
 * runs on SQLite.
 */
const STORE = process.env.BENCH_STORE ?? 'memory';
/**
 * Load-generator processes per target, each with an equal share of its visitors; 0: every
 * target's clients in this one process (how the bench ran before 2026-12-07).
 */
const LOADS = Number(process.env.BENCH_LOADS ?? 1);
/** Extra node flags for the server children, e.g. BENCH_SERVER_FLAGS=--cpu-prof. */
const SERVER_FLAGS = process.env.BENCH_SERVER_FLAGS ? process.env.BENCH_SERVER_FLAGS.split(' ') : [];
const self = fileURLToPath(import.meta.url);

/**
 * The relay's config in the bench. The per-connection frame limits (20/s, burst 40) are not
 * reached by this workload on a WebSocket, but the polling endpoint also bounds hellos *per
 * client address* with the same bucket, and all 1,000 bench visitors come from 127.0.0.1:
 * raised here so the bench measures transport cost rather than the rate limiter.
 */
const RELAY_LIMITS = { framesPerSecond: 5_000, burst: 10_000 };

// ---------------------------------------------------------------------------- server side

// Diagnosis: BENCH_GC_LOG=file appends every GC of every process (load generators and server
// children) as a JSON line {who, t, d, kind}: t on the shared clock, d in ms; who is e.g.
// `load:websocket` or `server:websocket`. rtt() then reports, per target, the GC pauses of its
// own processes during its measured windows.
if (process.env.BENCH_GC_LOG) {
  const { PerformanceObserver } = await import('node:perf_hooks');
  const { appendFileSync } = await import('node:fs');
  const who = process.env.PARLEY_BENCH_WHO || (process.env.PARLEY_BENCH_LOAD ? `load:${process.env.PARLEY_BENCH_LOAD}` : 'main');
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) appendFileSync(process.env.BENCH_GC_LOG, JSON.stringify({ who, t: performance.timeOrigin + e.startTime, d: e.duration, kind: e.detail?.kind }) + '\n');
  }).observe({ entryTypes: ['gc'] });
}
if (process.env.PARLEY_BENCH_SERVER) await serve(process.env.PARLEY_BENCH_SERVER);

/** Child process: start one kind of server, report its port, answer memory questions. */
async function serve(kind) {
  let port;
  if (kind === 'parley' || kind === 'parleySqlite') {
    const { createRelay, SqliteStore } = await import('@parley/relay');
    const dir = STORE === 'sqlite' || kind === 'parleySqlite' ? mkdtempSync(join(tmpdir(), 'parley-bench-')) : undefined;
    // The database goes with the process (however it ends): one per run would pile up in /tmp.
    if (dir) process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    const store = dir ? new SqliteStore({ path: join(dir, 'relay.db') }) : undefined;
    const relay = await createRelay({ config: { port: 0, host: '127.0.0.1', limits: RELAY_LIMITS }, bot: null, logger: 'silent', store });
    port = relay.port;
  } else if (kind === 'rawWs') {
    const { WebSocketServer } = await import('ws');
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
    wss.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
    await once(wss, 'listening');
    port = wss.address().port;
  } else if (kind === 'socketio') {
    const { createServer } = await import('node:http');
    const { Server } = await import('socket.io');
    const http = createServer();
    const io = new Server(http, { transports: ['websocket'], serveClient: false });
    io.on('connection', (socket) => socket.on('m', (data) => socket.emit('m', data)));
    http.listen(0, '127.0.0.1');
    await once(http, 'listening');
    port = http.address().port;
  } else if (kind === 'idle') {
    // No server: a process with nothing to do but a 1 ms timer, measuring the gaps between its
    // wake-ups (1 ms plus however late it woke).
    // What it sees is the machine's doing (other processes, the hypervisor), not its own.
    const { monitorEventLoopDelay } = await import('node:perf_hooks');
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    // And when: [from, to] on the shared clock (performance.timeOrigin-based) of every wake-up
    // more than STALL_MS late, bounded.
    let stalls = [];
    let last = performance.timeOrigin + performance.now();
    setInterval(() => {
      const now = performance.timeOrigin + performance.now();
      if (now - last > 1 + STALL_MS && stalls.length < 100_000) stalls.push([last, now]);
      last = now;
    }, 1);
    process.on('message', (m) => {
      if (m?.type === 'reset') {
        delay.reset();
        stalls = [];
      }
      if (m?.type === 'stalls') process.send({ type: 'stalls', stalls });
      if (m?.type === 'stall') {
        const ms = (ns) => ns / 1e6;
        process.send({ type: 'stall', p99: ms(delay.percentile(99)), p999: ms(delay.percentile(99.9)), max: ms(delay.max) });
      }
    });
    port = 0;
  } else {
    throw new Error(`unknown server kind ${kind}`);
  }
  process.on('message', async (m) => {
    if (m?.type === 'memory') process.send({ type: 'memory', ...(await settledMemory()) });
    if (m?.type === 'cpu') process.send({ type: 'cpu', us: cpuUs() });
    if (m?.type === 'stop') process.exit(0);
  });
  process.on('disconnect', () => process.exit(0));
  process.send({ type: 'ready', port });
}

/** CPU time this process has used, user + system, in µs. */
function cpuUs() {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/** Memory after the heap settled: several full GCs with turns of the event loop between. */
async function settledMemory() {
  for (let i = 0; i < 4; i++) {
    globalThis.gc?.();
    await new Promise((r) => setTimeout(r, 50));
  }
  const m = process.memoryUsage();
  return { heap: m.heapUsed + m.external, rss: m.rss };
}

/**
 * Fork this file as a child with `env` added; resolves once it reports `ready`, with
 * `ask(message)`: send a message and wait for the child's answer, the message of the same
 * type. A child that cannot start says `{ type: 'failed', message }`.
 */
async function forkChild(env, execArgv) {
  const child = fork(self, [], { env: { ...process.env, ...env }, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  /** type -> the one waiter for the child's next message of that type. */
  const waiting = new Map();
  const failAll = (error) => {
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  child.on('message', (m) => {
    if (m?.type === 'failed') return failAll(new Error(m.message));
    const w = waiting.get(m?.type);
    waiting.delete(m?.type);
    w?.resolve(m);
  });
  child.on('exit', () => failAll(new Error('the child exited')));
  const next = (type) => new Promise((resolve, reject) => waiting.set(type, { resolve, reject }));
  const ready = await next('ready').catch((error) => {
    child.kill('SIGKILL');
    throw error;
  });
  return {
    ready,
    ask(message) {
      const answer = next(message.type);
      child.send(message);
      return answer;
    },
    tell: (message) => child.send(message),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.send({ type: 'stop' });
      await Promise.race([exited, sleep(5000).then(() => child.kill('SIGKILL'))]);
    },
  };
}

/** Fork a server child; resolves once it listens. */
async function startServer(kind, who = kind) {
  const child = await forkChild({ PARLEY_BENCH_SERVER: kind, PARLEY_BENCH_WHO: who, PARLEY_BENCH_LOAD: '', LOG_LEVEL: 'silent' }, ['--expose-gc', ...SERVER_FLAGS]);
  return {
    url: `http://127.0.0.1:${child.ready.port}`,
    port: child.ready.port,
    memory: () => child.ask({ type: 'memory' }),
    /** CPU time (user + system, all threads) the child has used so far, in µs. */
    cpu: async () => (await child.ask({ type: 'cpu' })).us,
    /** The idle child: the gaps between its 1 ms timer's wake-ups since the last reset, in ms. */
    stall: () => child.ask({ type: 'stall' }),
    /** The idle child: when it was woken late since the last reset ([from, to] on the shared clock). */
    stalls: async () => (await child.ask({ type: 'stalls' })).stalls,
    reset: () => child.tell({ type: 'reset' }),
    stop: child.stop,
  };
}

// ---------------------------------------------------------------------------- load side

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(pred, what, ms = 30_000) {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function percentile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/**
 * The number in each message's key, over all windows of this process. The relay-alone clients
 * send the key as the message's client id, and the relay takes a client id it has seen in
 * the conversation for a resend: a counter that restarted with every window (as it did until
 * 2026-12-07) made every window after the first measure the relay's answer to resends, not
 * its append.
 */
let keySeq = 0;
/** Relay-alone messages the relay answered as resends (should stay 0; see setupParleyRelayOnly). */
let resendAnswers = 0;

/**
 * Drive one window of the workload over `clients` (each: `send(key)` and an `onEcho(key =>
 * ...)` hook set by us): each client sends one message a second, client i of this process at
 * phase (i * of + at) / (clients.length * of) of the second, so that `of` processes driving
 * their share of the visitors together spread the sends evenly. Returns every measured
 * message as [send time on the shared clock, rtt], and the counts (see summarise()).
 */
async function driveWindow(clients, measureS, { at = 0, of = 1 } = {}) {
  const sent = new Map(); // key -> [t0, measured]
  const resendsBefore = resendAnswers;
  // The measured messages' send times and RTTs, in arrays allocated up front: the harness
  // should add as little as it can to the garbage collector's work during the window.
  const cap = Math.ceil(clients.length * (measureS + 1));
  const sentAt = new Float64Array(cap);
  const rttMs = new Float64Array(cap);
  let measured = 0;
  let echoed = 0;
  for (const c of clients) {
    c.onEcho = (key) => {
      const s = sent.get(key);
      if (!s) return;
      sent.delete(key);
      echoed++;
      if (s[1] && measured < cap) {
        sentAt[measured] = performance.timeOrigin + s[0];
        rttMs[measured++] = performance.now() - s[0];
      }
    };
  }
  const cpuFrom = cpuUs();
  const start = performance.now();
  const measureFrom = start + WARMUP_S * 1000;
  const stopAt = measureFrom + measureS * 1000;
  let issued = 0;
  // One ticker instead of a timer per client.
  await new Promise((resolve) => {
    const next = clients.map((_, i) => start + ((i * of + at) / (clients.length * of)) * 1000);
    const tick = () => {
      const now = performance.now();
      if (now >= stopAt) return resolve();
      for (let i = 0; i < clients.length; i++) {
        if (next[i] > now) continue;
        next[i] += 1000;
        const key = `m${++keySeq}`;
        sent.set(key, [performance.now(), now >= measureFrom]);
        issued++;
        clients[i].send(key);
      }
      setTimeout(tick, 2);
    };
    tick();
  });
  // Late echoes of the last messages still count; what is still unanswered 5 s after the
  // window is reported as `late` (delivery itself is proven by test/property, not here).
  await waitFor(() => sent.size === 0, 'the last echoes', 5_000).catch(() => {});
  const samples = Array.from({ length: measured }, (_, i) => [sentAt[i], rttMs[i]]);
  return { samples, issued, echoed, late: sent.size, resends: resendAnswers - resendsBefore, from: performance.timeOrigin + measureFrom, to: performance.timeOrigin + stopAt, cpuUs: cpuUs() - cpuFrom };
}

/**
 * One window's figures from what its load processes measured: RTT percentiles over all their
 * messages, the tail (at or above p99) and every sample for the attribution to stalls (see
 * rtt()); logs a summary.
 */
function summarise(parts, label, log, serverCpuUs = NaN) {
  const all = parts.flatMap((p) => p.samples);
  const rtts = all.map(([, ms]) => ms).sort((a, b) => a - b);
  const sum = (k) => parts.reduce((n, p) => n + p[k], 0);
  const result = { p50: percentile(rtts, 0.5), p99: percentile(rtts, 0.99), samples: rtts.length, late: sum('late') };
  result.tail = all.filter(([, ms]) => ms >= result.p99);
  result.all = all;
  // The measured window on the shared clock, for the GC report (see gcDuringWindows()).
  result.window = [Math.min(...parts.map((p) => p.from)), Math.max(...parts.map((p) => p.to))];
  // CPU per message sent over the whole window (warm-up and the wait for the last echoes
  // included), in µs: the load processes' and the server's.
  result.cpu = { load: sum('cpuUs') / sum('issued'), server: serverCpuUs / sum('issued') };
  if (sum('resends') > 0) log(`${label}: ${sum('resends')} messages were answered as resends, so this window measured the wrong path`);
  log(`${label}: ${sum('issued')} sent, ${sum('echoed')} echoed, ${result.late} unanswered after 5 s; p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms over ${rtts.length} samples`);
  const q = (x) => percentile(rtts, x).toFixed(2);
  // Send times (ms into the measured window, 250 ms buckets) of messages slower than 10 ms.
  const [from] = result.window;
  const slow = all.filter(([, ms]) => ms > 10).map(([t]) => Math.floor((t - from) / 250) * 250);
  const buckets = Object.entries(slow.reduce((m, t) => ((m[t] = (m[t] ?? 0) + 1), m), {}));
  log(`  p90 ${q(0.9)}, p95 ${q(0.95)}, p99.9 ${q(0.999)}, max ${rtts.at(-1)?.toFixed(2)} ms; > 10 ms by send time: ${buckets.map(([t, n]) => `${t}:${n}`).join(' ') || 'none'}`);
  return result;
}

/** Open `n` things with `open(i)` (returns a promise), CONNECT_BATCH at a time. */
async function openAll(n, open) {
  const out = [];
  for (let i = 0; i < n; i += CONNECT_BATCH) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(CONNECT_BATCH, n - i) }, (_, j) => open(i + j)))));
  }
  return out;
}

/** A raw `ws` client that resolves once open. */
async function rawSocket(WebSocket, url) {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  ws.on('error', () => {});
  await once(ws, 'open');
  return ws;
}

// --- RTT per target
//
// The WebSocket targets are set up together (each its server child and VISITORS connected
// clients) and their windows interleaved: ROUNDS rounds, each driving every target in turn
// (order rotated per round); the figure is the median over rounds. On a shared 2-core machine other
// work comes and goes; interleaving spreads it over every target instead of letting it land
// on whichever happened to run at that moment.

/** A target ready to drive: `clients` each with `send(key)`; `close()` hangs up and stops the server. */

async function setupRawWs(server, n) {
  const { WebSocket } = await import('ws');
  const clients = await openAll(n, async () => {
    const ws = await rawSocket(WebSocket, `ws://127.0.0.1:${server.port}`);
    const c = { ws, onEcho: () => {}, send: (key) => ws.send(JSON.stringify({ type: 'send', id: key, text: 'Where is my deposit? I sent it an hour ago.' })) };
    ws.on('message', (data) => c.onEcho(JSON.parse(String(data)).id));
    return c;
  });
  return { clients, close: async () => (clients.forEach((c) => c.ws.terminate())) };
}

async function setupSocketIo(server, n) {
  const { io } = await import('socket.io-client');
  const clients = await openAll(n, async () => {
    // forceNew: one connection per client, as 1,000 browsers would have (the default
    // would multiplex every client over one shared connection).
    const socket = io(server.url, { transports: ['websocket'], forceNew: true, reconnection: false });
    await once(socket, 'connect');
    const c = { socket, onEcho: () => {}, send: (key) => socket.emit('m', { id: key, text: 'Where is my deposit? I sent it an hour ago.' }) };
    socket.on('m', (data) => c.onEcho(data.id));
    return c;
  });
  return { clients, close: async () => (clients.forEach((c) => c.socket.disconnect())) };
}

/**
 * The client message id a Parley frame confirms, if it confirms one: an `ack` (to a sender
 * that does not follow the conversation, or to a resend) or the message's own `event` (how a
 * subscribed sender learns its message was stored). Read from the JSON text without parsing
 * it: the client parses every frame itself, and a second parse here would be the harness's
 * cost counted as Parley's. Text is JSON-escaped, so a message cannot fake either marker.
 */
function confirmedId(raw) {
  const key = raw.startsWith('{"v":1,"type":"event"') ? '"clientId":"' : raw.startsWith('{"v":1,"type":"ack"') ? '"id":"' : null;
  const at = key === null ? -1 : raw.indexOf(key);
  if (at < 0) return undefined;
  const from = at + key.length;
  return raw.slice(from, raw.indexOf('"', from));
}

/**
 * Parley: the real client (outbox, transcript signals, validation of every frame) over the
 * given transport. The transport is wrapped only to see when a message is confirmed.
 */
async function setupParley(kind, server, n) {
  const client = await import('@parley/client');
  const { WebSocket } = await import('ws');
  const base = kind === 'websocket' ? client.websocketTransport({ WebSocket }) : client.pollingTransport();
  const clients = await openAll(n, async () => {
    const c = { onEcho: () => {}, ids: new Map() };
    const transport = (relay, handlers) =>
      base(relay, {
        ...handlers,
        onFrame(raw) {
          const id = confirmedId(raw);
          const key = id === undefined ? undefined : c.ids.get(id);
          if (key !== undefined) {
            c.ids.delete(id);
            c.onEcho(key);
          }
          handlers.onFrame(raw);
        },
      });
    const chat = client.createVisitorClient({ relay: server.url, transport, storage: null, events: null, lang: 'en' });
    c.chat = chat;
    c.send = (key) => c.ids.set(chat.send('Where is my deposit? I sent it an hour ago.'), key);
    chat.connect();
    await waitFor(() => chat.state.value === 'online' && chat.conversation.value !== null, 'a Parley visitor online', 30_000);
    return c;
  });
  return { clients, close: async () => (clients.forEach((c) => c.chat.disconnect())) };
}

/**
 * A Parley visitor session over a bare socket: hello (with `token` if given), welcome, then a
 * subscribe answered by its ack (the replay is done: the session is live). The frames until
 * then are checked with the protocol's decoder; its listener is gone when this returns.
 */
async function parleySession(url, token) {
  const { WebSocket } = await import('ws');
  const { encode, decodeServerFrame } = await import('@parley/protocol');
  const ws = await rawSocket(WebSocket, url.replace(/^http/, 'ws') + '/ws');
  const frames = [];
  let wake = () => {};
  const onMessage = (data) => {
    const d = decodeServerFrame(String(data));
    if (d.ok) frames.push(d.frame);
    wake();
  };
  ws.on('message', onMessage);
  const next = async (type) => {
    for (;;) {
      const i = frames.findIndex((f) => f.type === type);
      if (i >= 0) return frames.splice(i, 1)[0];
      await new Promise((r) => (wake = r));
    }
  };
  ws.send(encode({ type: 'hello', role: 'visitor', lang: 'en', ...(token ? { token } : {}) }));
  const welcome = await next('welcome');
  const conversationId = welcome.conversation.id;
  ws.send(encode({ type: 'subscribe', id: 's', conversationId, afterSeq: 0 }));
  await next('ack');
  ws.off('message', onMessage);
  return { ws, token: welcome.visitor.token, conversationId };
}

/**
 * The Parley relay driven by bare `ws` clients that speak the protocol themselves (hello,
 * subscribe, then `send` frames; the RTT is to the confirmation): the relay's share of
 * Parley's RTT, without the client library's work in the load generator. Not a target, a
 * diagnosis.
 */
async function setupParleyRelayOnly(server, n) {
  const { encode } = await import('@parley/protocol');
  const text = 'Where is my deposit? I sent it an hour ago.';
  const clients = await openAll(n, async () => {
    const { ws, conversationId } = await parleySession(server.url);
    const c = { ws, onEcho: () => {}, send: (key) => ws.send(encode({ type: 'send', id: key, conversationId, text })) };
    ws.on('message', (data) => {
      const raw = String(data);
      const id = confirmedId(raw);
      if (id === undefined) return;
      // These clients follow their conversations, so a new message is confirmed by its event;
      // an ack means the relay took it for a resend of one it had (see keySeq).
      if (raw.startsWith('{"v":1,"type":"ack"')) resendAnswers++;
      c.onEcho(id);
    });
    return c;
  });
  return { clients, close: async () => (clients.forEach((c) => c.ws.terminate())) };
}

/** Each target's server kind, and how to connect `n` of its clients to that server. */
const TARGETS = {
  rawWs: { server: 'rawWs', setup: setupRawWs },
  socketio: { server: 'socketio', setup: setupSocketIo },
  websocket: { server: 'parley', setup: (server, n) => setupParley('websocket', server, n) },
  // The same clients against a relay on the SQLite store, the one `npm start` runs.
  websocketSqlite: { server: 'parleySqlite', setup: (server, n) => setupParley('websocket', server, n) },
  relayOnly: { server: 'parley', setup: setupParleyRelayOnly },
  polling: { server: 'parley', setup: (server, n) => setupParley('polling', server, n) },
};

/**
 * Start a target: its server child, then its VISITORS clients, split over LOADS
 * load-generator children (or, with BENCH_LOADS=0, in this process). Each target's clients
 * thus have heaps of their own, as browsers would: one target's garbage is not collected in
 * another's window, and no collection walks the other targets' clients. `drive(label,
 * seconds, quiet)` runs one window on every load child at once and sums it up; `close()`
 * hangs up and stops the server.
 */
async function startTarget(key, log) {
  const server = await startServer(TARGETS[key].server, `server:${key}`);
  const loads = [];
  const close = async () => {
    for (const l of loads) await l.close().catch(() => {});
    await server.stop();
  };
  try {
    if (LOADS === 0) {
      const target = await TARGETS[key].setup(server, VISITORS);
      loads.push({ window: (seconds) => driveWindow(target.clients, seconds), close: target.close });
    }
    for (let k = 0; k < LOADS; k++) {
      // Visitors k, k + LOADS, k + 2 * LOADS, ... of the whole, so their phases interleave.
      const n = Math.floor(VISITORS / LOADS) + (k < VISITORS % LOADS ? 1 : 0);
      // The parent's node flags (e.g. --trace-gc) apply to the load generators as before.
      const child = await forkChild({ PARLEY_BENCH_LOAD: key, PARLEY_BENCH_URL: server.url, BENCH_VISITORS: String(n) }, process.execArgv);
      loads.push({ window: async (seconds) => (await child.ask({ type: 'drive', seconds, at: k, of: LOADS })).result, close: child.stop });
    }
  } catch (error) {
    await close();
    throw error;
  }
  return {
    drive: async (label, seconds, quiet) => {
      const cpuFrom = await server.cpu();
      const parts = await Promise.all(loads.map((l) => l.window(seconds)));
      return summarise(parts, label, quiet ? () => {} : log, (await server.cpu()) - cpuFrom);
    },
    close,
  };
}

/** Load-generator child: connect its share of one target's clients, then drive windows when asked. */
async function load(key) {
  let target;
  try {
    const url = process.env.PARLEY_BENCH_URL;
    target = await TARGETS[key].setup({ url, port: Number(new URL(url).port) }, VISITORS);
  } catch (error) {
    process.send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  process.on('message', async (m) => {
    if (m?.type === 'drive') process.send({ type: 'drive', result: await driveWindow(target.clients, m.seconds, m) });
    if (m?.type === 'stop') {
      await target.close();
      process.exit(0);
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.send({ type: 'ready' });
}

/** Names of V8's GC kinds (PerformanceEntry detail.kind). */
const GC_KINDS = { 1: 'scavenge', 2: 'minor mark-compact', 4: 'mark-compact', 8: 'incremental marking', 16: 'weak callbacks' };

/**
 * With BENCH_GC_LOG: per target, the GC pauses of its own processes (its load process and its
 * server) that overlapped its measured windows, from the log; logs them by process and kind
 * and returns, per target, the sum and the longest pause of each process, in ms.
 */
function gcDuringWindows(ready, log) {
  let entries = [];
  try {
    entries = readFileSync(process.env.BENCH_GC_LOG, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  } catch (error) {
    log(`GC log unreadable: ${error instanceof Error ? error.message : error}`);
    return {};
  }
  const out = {};
  for (const t of ready) {
    const windows = t.rounds.map((r) => r.window);
    const inWindows = entries.filter((g) => (g.who === `load:${t.key}` || g.who === `server:${t.key}`) && windows.some(([from, to]) => g.t < to && g.t + g.d > from));
    const groups = new Map();
    for (const g of inWindows) {
      const k = `${g.who} ${GC_KINDS[g.kind] ?? g.kind}`;
      groups.set(k, [...(groups.get(k) ?? []), g.d]);
    }
    const show = [...groups].map(([k, ds]) => `${k} ${ds.length}x, ${ds.reduce((a, b) => a + b, 0).toFixed(1)} ms, longest ${Math.max(...ds).toFixed(1)}`);
    log(`${t.label}: GC pauses in its own processes during its ${windows.length} windows: ${show.join('; ') || 'none'}`);
    const of = (who) => inWindows.filter((g) => g.who === who).map((g) => g.d);
    const figures = (ds) => ({ totalMs: round(ds.reduce((a, b) => a + b, 0)), longestMs: round(ds.length ? Math.max(...ds) : 0) });
    out[t.key] = { load: figures(of(`load:${t.key}`)), server: figures(of(`server:${t.key}`)) };
  }
  return out;
}

/** Whether [from, to] overlaps any of the sorted [start, end] intervals. */
function overlaps(intervals, from, to) {
  let lo = 0;
  let hi = intervals.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (intervals[mid][1] < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < intervals.length && intervals[lo][0] <= to;
}

const median = (xs) => {
  const s = [...xs].filter(Number.isFinite).sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Set up every target, drive them in interleaved rounds, return median p50/p99 per key. */
async function rtt(targets, log, { watchMachine = false } = {}) {
  const ready = [];
  /** A process that does nothing, beside the rounds: what the machine alone does to latency. */
  const idle = watchMachine ? await startServer('idle') : null;
  let stall = null;
  try {
    for (const t of targets) {
      try {
        ready.push({ ...t, ...(await startTarget(t.key, log)), rounds: [] });
        log(`${t.label}: ${VISITORS} clients connected`);
      } catch (error) {
        log(`${t.label}: setup failed: ${error instanceof Error ? error.message : error}`);
      }
    }
    // A first, unmeasured window per target: until the JIT has seen a few thousand messages
    // (relay and client both), the first rounds measure compilation, not the transport.
    for (const t of ready) await t.drive(`${t.label} warm-up`, WARMUP_ROUND_S, true);
    idle?.reset();
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < ready.length; i++) {
        const t = ready[(i + round) % ready.length];
        t.rounds.push(await t.drive(`${t.label} round ${round + 1}`, MEASURE_S));
      }
    }
    if (idle) {
      stall = await idle.stall();
      log(`an idle process beside the rounds: gaps between wake-ups of its 1 ms timer p99 ${stall.p99.toFixed(2)}, p99.9 ${stall.p999.toFixed(2)}, max ${stall.max.toFixed(2)} ms`);
      const stalls = await idle.stalls();
      stall.tail = {};
      stall.outside = {};
      for (const t of ready) {
        const share = (xs) => xs.filter(([at, ms]) => overlaps(stalls, at, at + ms)).length / xs.length;
        const tail = share(t.rounds.flatMap((r) => r.tail));
        const all = share(t.rounds.flatMap((r) => r.all));
        stall.tail[t.key] = tail;
        // The same rounds without the messages in flight during a stall: the tail the
        // transport makes itself (a diagnosis beside the figures, not a replacement for them).
        const outside = t.rounds.map((r) => {
          const rtts = r.all.filter(([at, ms]) => !overlaps(stalls, at, at + ms)).map(([, ms]) => ms);
          return percentile(rtts.sort((a, b) => a - b), 0.99);
        });
        stall.outside[t.key] = median(outside);
        log(`${t.label}: in flight while the idle process was woken > ${STALL_MS} ms late: ${(100 * tail).toFixed(0)}% of the messages at or above a round's p99, ${(100 * all).toFixed(0)}% of all; p99 without those ${stall.outside[t.key].toFixed(2)} ms (median over rounds)`);
      }
      for (const t of ready) for (const r of t.rounds) delete r.all;
    }
  } finally {
    for (const t of ready) await t.close().catch(() => {});
    await idle?.stop();
  }
  const out = {};
  for (const t of ready) {
    const cpu = { load: median(t.rounds.map((r) => r.cpu.load)), server: median(t.rounds.map((r) => r.cpu.server)) };
    out[t.key] = { p50: median(t.rounds.map((r) => r.p50)), p99: median(t.rounds.map((r) => r.p99)), late: t.rounds.reduce((n, r) => n + r.late, 0), cpu };
    log(`${t.label}: median over ${ROUNDS} rounds p50 ${out[t.key].p50.toFixed(2)} ms, p99 ${out[t.key].p99.toFixed(2)} ms; per-round p99 ${t.rounds.map((r) => r.p99.toFixed(2)).join(', ')}; CPU per message ${cpu.load.toFixed(0)} µs in the clients' process, ${cpu.server.toFixed(0)} µs in the server`);
  }
  if (stall) out.idleProcess = stall;
  if (process.env.BENCH_GC_LOG) out.gcDuringWindows = gcDuringWindows(ready, log);
  return out;
}

// --- memory per idle connection

/**
 * Memory per idle connection of one server kind: the server child's heapUsed + external
 * (after GC) with IDLE idle connections open, minus the same before, divided by IDLE.
 * `prepare` runs before the baseline (Parley: create the visitors, so their store records
 * are in the baseline and only the connections are counted).
 */
async function idleBytes(kind, open, prepare) {
  const server = await startServer(kind);
  try {
    const state = prepare ? await prepare(server) : undefined;
    const before = await server.memory();
    const conns = await openAll(IDLE, (i) => open(server, i, state));
    await sleep(300);
    const after = await server.memory();
    for (const c of conns) c.close();
    return { heap: (after.heap - before.heap) / IDLE, rss: (after.rss - before.rss) / IDLE };
  } finally {
    await server.stop();
  }
}

async function memory(log) {
  const { WebSocket } = await import('ws');
  const { io } = await import('socket.io-client');

  const parley = await idleBytes(
    'parley',
    async (server, i, tokens) => {
      const { ws } = await parleySession(server.url, tokens[i]);
      return { close: () => ws.terminate() };
    },
    async (server) => {
      // Phase 1: create the visitors and their conversations, then hang up.
      const sessions = await openAll(IDLE, () => parleySession(server.url));
      for (const s of sessions) s.ws.terminate();
      await sleep(300);
      return sessions.map((s) => s.token);
    },
  );
  log(`Parley websocket: ${parley.heap.toFixed(0)} B heap+external, ${parley.rss.toFixed(0)} B rss per idle session`);
  const rawWs = await idleBytes('rawWs', async (server) => {
    const ws = await rawSocket(WebSocket, `ws://127.0.0.1:${server.port}`);
    return { close: () => ws.terminate() };
  });
  log(`bare ws: ${rawWs.heap.toFixed(0)} B heap+external, ${rawWs.rss.toFixed(0)} B rss per idle connection`);
  const socketio = await idleBytes('socketio', async (server) => {
    const socket = io(server.url, { transports: ['websocket'], forceNew: true, reconnection: false });
    await once(socket, 'connect');
    return { close: () => socket.disconnect() };
  });
  log(`Socket.IO: ${socketio.heap.toFixed(0)} B heap+external, ${socketio.rss.toFixed(0)} B rss per idle connection`);
  return { parley, rawWs, socketio };
}

// ---------------------------------------------------------------------------- the bench

const round = (x, d = 2) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : null);

/** @param {(...m: unknown[]) => void} log */
export async function run(log) {
  const client = await import('@parley/client');
  const hasPolling = typeof client.pollingTransport === 'function';
  const { loadavg, cpus } = await import('node:os');
  log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} on ${cpus().length} cores (other work on the machine distorts the figures)`);
  log(`transport: ${VISITORS} visitors x 1 msg/s, ${ROUNDS} rounds of ${WARMUP_S} s warm-up + ${MEASURE_S} s measured; ${IDLE} idle connections for memory; clients in ${LOADS === 0 ? 'this process' : `${LOADS} load process(es) per target`}; Parley relay on the ${STORE} store`);

  const none = { p50: NaN, p99: NaN, late: NaN };
  const targets = [
    { key: 'rawWs', label: 'bare ws' },
    { key: 'socketio', label: 'Socket.IO' },
    { key: 'websocket', label: 'Parley websocket' },
    { key: 'websocketSqlite', label: 'Parley websocket, SQLite store' },
    { key: 'relayOnly', label: 'Parley relay, bare ws clients' },
    ...(hasPolling ? [{ key: 'polling', label: 'Parley polling' }] : []),
  ].filter((t) => want(t.key));
  if (!hasPolling) log('Parley polling: the built @parley/client has no pollingTransport; skipped');
  // Polling runs on its own, after the others: 1,000 idle polling clients re-issue their held
  // requests in bursts (every hold period), which would land in the other targets' windows.
  const sockets = await rtt(targets.filter((t) => t.key !== 'polling'), log, { watchMachine: true });
  const polled = await rtt(targets.filter((t) => t.key === 'polling'), log);
  const r = { ...sockets, ...polled, gcDuringWindows: { ...sockets.gcDuringWindows, ...polled.gcDuringWindows } };
  const rawWs = r.rawWs ?? none;
  const socketio = r.socketio ?? none;
  const websocket = r.websocket ?? none;
  const relayOnly = r.relayOnly ?? none;
  const websocketSqlite = r.websocketSqlite ?? none;
  const polling = r.polling ?? null;
  const noMem = { heap: NaN, rss: NaN };
  const mem = want('memory') ? await memory(log) : { parley: noMem, rawWs: noMem, socketio: noMem };

  const figures = {
    transport: {
      websocket: {
        rttP50Ms: round(websocket.p50),
        rttP99Ms: round(websocket.p99),
        bytesPerIdleConnection: round(mem.parley.heap, 0),
        bytesPerIdleConnectionRss: round(mem.parley.rss, 0),
        late: websocket.late,
      },
      // Parley's WebSocket clients and relay as above, the relay on SQLite (a file in the temp folder).
      websocketSqlite: { rttP50Ms: round(websocketSqlite.p50), rttP99Ms: round(websocketSqlite.p99) },
      // The relay alone (bare ws clients speaking the protocol): where Parley's RTT is spent.
      websocketRelayOnly: { rttP50Ms: round(relayOnly.p50), rttP99Ms: round(relayOnly.p99) },
      // With BENCH_GC_LOG only: per target, the GC pauses of its load process and its server
      // during its measured windows (sum and longest, ms).
      ...(process.env.BENCH_GC_LOG ? { gcDuringWindows: r.gcDuringWindows } : {}),
      // Per target: CPU time per message sent (µs, user + system, median over rounds) of the
      // process holding its clients and of its server: what each side costs the machine.
      cpuUsPerMessage: Object.fromEntries(
        Object.entries(r)
          .filter(([, v]) => v?.cpu)
          .map(([k, v]) => [k, { load: round(v.cpu.load, 1), server: round(v.cpu.server, 1) }]),
      ),
      // The gaps between wake-ups of a 1 ms timer in a process with nothing else to do, during
      // the WebSocket rounds: the floor the machine puts under every RTT tail. An RTT p99 near
      // the p99.9 here measures the machine more than the transport.
      idleProcess: r.idleProcess
        ? {
            loopDelayP99Ms: round(r.idleProcess.p99),
            loopDelayP999Ms: round(r.idleProcess.p999),
            loopDelayMaxMs: round(r.idleProcess.max),
            // Per target: the share of its tail (messages at or above a round's p99) that was
            // in flight while the machine stalled the idle process too.
            tailDuringStalls: Object.fromEntries(Object.entries(r.idleProcess.tail).map(([k, v]) => [k, round(v)])),
            // Per target: the RTT p99 of the messages that were not in flight during a stall.
            rttP99MsOutsideStalls: Object.fromEntries(Object.entries(r.idleProcess.outside).map(([k, v]) => [k, round(v)])),
          }
        : { loopDelayP99Ms: null, loopDelayP999Ms: null, loopDelayMaxMs: null },
      polling: polling
        ? { rttP50Ms: round(polling.p50), rttP99Ms: round(polling.p99), late: polling.late }
        : { rttP50Ms: null, rttP99Ms: null, missing: !want('polling') ? 'skipped' : hasPolling ? 'setup failed (see log)' : 'no polling transport in this build' },
      rawWs: {
        rttP50Ms: round(rawWs.p50),
        rttP99Ms: round(rawWs.p99),
        bytesPerIdleConnection: round(mem.rawWs.heap, 0),
        bytesPerIdleConnectionRss: round(mem.rawWs.rss, 0),
      },
      socketio: {
        rttP50Ms: round(socketio.p50),
        rttP99Ms: round(socketio.p99),
        bytesPerIdleConnection: round(mem.socketio.heap, 0),
        bytesPerIdleConnectionRss: round(mem.socketio.rss, 0),
      },
      ratios: {
        // Targets (issue 3): wsP99VsRawWs <= 1.2, wsP99VsSocketio < 1, idleBytesVsRawWs <= 1.5.
        wsP99VsRawWs: round(websocket.p99 / rawWs.p99),
        wsP99VsSocketio: round(websocket.p99 / socketio.p99),
        relayOnlyP99VsRawWs: round(relayOnly.p99 / rawWs.p99),
        wsSqliteP99VsRawWs: round(websocketSqlite.p99 / rawWs.p99),
        idleBytesVsRawWs: round(mem.parley.heap / mem.rawWs.heap),
        ...(polling ? { pollingP99VsWs: round(polling.p99 / websocket.p99) } : {}),
      },
    },
  };
  return figures;
}

// Last, once every declaration above is initialised: a load-generator child (see startTarget).
if (process.env.PARLEY_BENCH_LOAD) await load(process.env.PARLEY_BENCH_LOAD);
