// Diagnosis, not a figure: bytes allocated per message on the transport bench's message path,
// by function, from V8's sampling heap profiler (objects a GC has already collected included,
// which is what makes the young generation fill up and scavenge).
//
//   node bench/alloc.mjs                 # the relay: relay here, bare protocol clients in a child
//   MODE=client node bench/alloc.mjs     # the visitor client: @parley/client here, relay in a child
//   STACK=send TOP=20 node bench/alloc.mjs   # also the call stacks of functions named send*
//   LIVE=1 MODE=client node bench/alloc.mjs  # only what is still alive at the end: what each message keeps
//   CPU=1 node bench/alloc.mjs           # CPU time per message by function instead
//
// Add --max-inlined-bytecode-size=0 to see allocations of inlined functions under their own
// names rather than their caller's. Needs `npm run build` first. N visitors (default 500) send
// one message a second for S seconds (default 6), after a warm-up.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';

const N = Number(process.env.N ?? 500);
const SECONDS = Number(process.env.S ?? 6);
const MODE = process.env.MODE ?? 'relay';
const TOP = Number(process.env.TOP ?? 30);
/** LIVE=1: only the objects still alive when sampling stops (what a message leaves behind), by where they were allocated. */
const LIVE = process.env.LIVE === '1';
/** CPU=1: where the main thread's time goes per message (V8's CPU profiler), instead of allocations. */
const CPU = process.env.CPU === '1';
const TEXT = 'Where is my deposit? I sent it an hour ago.';
const LIMITS = { framesPerSecond: 5000, burst: 10000 };
const self = fileURLToPath(import.meta.url);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function startRelay() {
  const { createRelay } = await import('@parley/relay');
  return createRelay({ config: { port: 0, host: '127.0.0.1', limits: LIMITS }, bot: null, logger: 'silent' });
}

/** Child: N bare sockets that say hello, subscribe, then send once a second when told. */
async function load(port) {
  const { WebSocket } = await import('ws');
  const { encode } = await import('@parley/protocol');
  const sockets = [];
  for (let i = 0; i < N; i++) {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    await once(ws, 'open');
    const welcome = new Promise((resolve) =>
      ws.on('message', (data) => {
        const frame = JSON.parse(String(data));
        if (frame.type === 'welcome') resolve(frame.conversation.id);
      }),
    );
    ws.send(encode({ type: 'hello', role: 'visitor', lang: 'en' }));
    const conversationId = await welcome;
    ws.send(encode({ type: 'subscribe', id: 's', conversationId, afterSeq: 0 }));
    sockets.push({ ws, conversationId });
  }
  process.send({ ready: true });
  let k = 0;
  const burst = () => {
    for (const s of sockets) s.ws.send(encode({ type: 'send', id: `m${++k}`, conversationId: s.conversationId, text: TEXT }));
  };
  process.on('message', async (m) => {
    for (let r = 0; r < m.seconds; r++, await sleep(1000)) burst();
    await sleep(500);
    process.send({ sent: N * m.seconds });
  });
}

/** Drive the relay here from a child; returns the messages sent while sampling. */
async function profileRelay(sampling) {
  const relay = await startRelay();
  const child = fork(self, [], { env: { ...process.env, ROLE: 'load', PORT: String(relay.port) } });
  await once(child, 'message');
  child.send({ seconds: 2 }); // warm-up
  await once(child, 'message');
  await sampling.start();
  child.send({ seconds: SECONDS });
  const [{ sent }] = await once(child, 'message');
  child.kill();
  return sent;
}

/** Drive N Parley visitor clients here against a relay in a child. */
async function profileClient(sampling) {
  const child = fork(self, [], { env: { ...process.env, ROLE: 'relay' } });
  const [{ port }] = await once(child, 'message');
  const client = await import('@parley/client');
  const { WebSocket } = await import('ws');
  const transport = client.websocketTransport({ WebSocket });
  const chats = Array.from({ length: N }, () => client.createVisitorClient({ relay: `http://127.0.0.1:${port}`, transport, storage: null, events: null, lang: 'en' }));
  for (const chat of chats) chat.connect();
  while (!chats.every((c) => c.state.value === 'online' && c.conversation.value)) await sleep(50);
  for (let r = 0; r < 2; r++, await sleep(1000)) for (const c of chats) c.send(TEXT); // warm-up
  await sampling.start();
  for (let r = 0; r < SECONDS; r++, await sleep(1000)) for (const c of chats) c.send(TEXT);
  await sleep(500);
  for (const chat of chats) chat.disconnect();
  child.kill();
  return N * SECONDS;
}

/** Bytes per message by function name and place, largest first; and stacks of STACK* functions. */
function report(profile, sent) {
  const byFunction = new Map();
  const stacks = new Map();
  let total = 0;
  const walk = (node, stack) => {
    const f = node.callFrame;
    const name = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
    const here = [...stack, name];
    total += node.selfSize;
    if (node.selfSize) {
      byFunction.set(name, (byFunction.get(name) ?? 0) + node.selfSize);
      if (process.env.STACK && name.startsWith(process.env.STACK)) {
        const key = here.slice(-8).join('\n    <- ');
        stacks.set(key, (stacks.get(key) ?? 0) + node.selfSize);
      }
    }
    for (const child of node.children) walk(child, here);
  };
  walk(profile.head, []);
  const perMessage = (bytes) => (bytes / sent).toFixed(0).padStart(7);
  console.log(`${MODE}: ${sent} messages, ${(total / sent).toFixed(0)} bytes allocated per message (sampled)`);
  for (const [name, bytes] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`${perMessage(bytes)}  ${name}`);
  for (const [stack, bytes] of [...stacks].sort((a, b) => b[1] - a[1]).slice(0, 6)) console.log(`${perMessage(bytes)}  ${stack}`);
}

/** CPU µs per message by function: self time, then time including callees. */
function reportCpu(profile, sent) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const nameOf = (n) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`;
  const self = new Map();
  const inclusive = new Map();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id);
    if (node.callFrame.functionName === '(idle)') return;
    busy += us;
    self.set(nameOf(node), (self.get(nameOf(node)) ?? 0) + us);
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const name = nameOf(byId.get(at));
      if (!seen.has(name)) inclusive.set(name, (inclusive.get(name) ?? 0) + us);
      seen.add(name);
    }
  });
  const perMessage = (us) => (us / sent).toFixed(1).padStart(7);
  console.log(`${MODE}: ${sent} messages, ${(busy / sent).toFixed(1)} µs of the main thread busy per message (sampled)`);
  console.log('self:');
  for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`${perMessage(us)}  ${name}`);
  console.log('including callees:');
  for (const [name, us] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`${perMessage(us)}  ${name}`);
}

if (process.env.ROLE === 'load') {
  await load(Number(process.env.PORT));
} else if (process.env.ROLE === 'relay') {
  const relay = await startRelay();
  process.send({ port: relay.port });
  process.on('disconnect', () => process.exit(0));
} else {
  const session = new Session();
  session.connect();
  if (CPU) {
    // CPU=1: V8's CPU profiler over the same window instead of the heap sampler.
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    const sent = MODE === 'client' ? await profileClient({ start: () => session.post('Profiler.start') }) : await profileRelay({ start: () => session.post('Profiler.start') });
    const { profile } = await session.post('Profiler.stop');
    reportCpu(profile, sent);
    process.exit(0);
  }
  const sampling = {
    start: () =>
      session.post('HeapProfiler.startSampling', { samplingInterval: 256, includeObjectsCollectedByMajorGC: !LIVE, includeObjectsCollectedByMinorGC: !LIVE }),
  };
  const sent = MODE === 'client' ? await profileClient(sampling) : await profileRelay(sampling);
  // With LIVE, a full GC first, so garbage not yet collected is not counted as kept.
  if (LIVE) await session.post('HeapProfiler.collectGarbage');
  const { profile } = await session.post('HeapProfiler.stopSampling');
  report(profile, sent);
  process.exit(0);
}
