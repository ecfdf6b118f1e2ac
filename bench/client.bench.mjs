// The visitor client's own cost per message, without a network or a relay: 1,000 clients
// (as the transport bench's load generator holds), each sending a message that a fake
// transport answers at once as the relay answers a sender that follows its conversation: with
// the message's own event, which confirms it (no ack). Shows what @parley/client adds
// to the transport RTT beside a bare socket (see the README's performance section).
//
// Also what the clients keep per message after full GCs (client.retainedBytesPerMessage).
//
// Run: npm run bench -- client   (add --json for one JSON line)
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export const name = 'client';

/** heapUsed after full GCs (the bench runs without --expose-gc; this exposes it). */
function settledHeap() {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc');
  for (let i = 0; i < 4; i++) gc();
  return process.memoryUsage().heapUsed;
}

const CLIENTS = 1000;
const ROUNDS = 20; // messages per client; the transcripts grow to about 25 items
const TEXT = 'Where is my deposit? I sent it an hour ago.';

/** @param {(...m: unknown[]) => void} log */
export async function run(log) {
  const { createVisitorClient } = await import('@parley/client');
  const { encode } = await import('@parley/protocol');
  const conversationId = 'c_bench000000000000000';
  const welcome = encode({
    type: 'welcome',
    role: 'visitor',
    visitor: { id: 'v_bench000000000000000', token: 't'.repeat(32) },
    conversation: { id: conversationId, status: 'bot', createdAt: 1, updatedAt: 1, lastSeq: 0 },
    serverTime: Date.now(),
  });
  const peers = Array.from({ length: CLIENTS }, () => {
    const peer = { handlers: null, lastSend: null, seq: 0, chat: null };
    const transport = (_relay, handlers) => {
      peer.handlers = handlers;
      queueMicrotask(() => handlers.onOpen());
      return {
        send(raw) {
          const frame = JSON.parse(raw);
          if (frame.type === 'hello') queueMicrotask(() => handlers.onFrame(welcome));
          else if (frame.type === 'send') peer.lastSend = frame;
        },
        close() {},
      };
    };
    peer.chat = createVisitorClient({ relay: 'http://bench.invalid', transport, storage: null, events: null, lang: 'en' });
    peer.chat.connect();
    return peer;
  });
  await new Promise((r) => setTimeout(r, 50));
  if (!peers.every((p) => p.chat.state.value === 'online')) throw new Error('client bench: not every client came online');

  // The relay's answers are encoded before the clock starts, so only the client is timed.
  const round = () => {
    const answers = [];
    let t = 0;
    for (const p of peers) {
      const t0 = performance.now();
      p.chat.send(TEXT);
      t += performance.now() - t0;
      const f = p.lastSend;
      const seq = ++p.seq;
      answers.push([p, encode({ type: 'event', conversationId, event: { kind: 'message', seq, at: Date.now(), clientId: f.id, author: { role: 'visitor' }, text: f.text } })]);
    }
    const t1 = performance.now();
    for (const [p, event] of answers) p.handlers.onFrame(event);
    return t + (performance.now() - t1);
  };
  for (let r = 0; r < 5; r++) round(); // JIT warm-up
  const before = settledHeap();
  const perRound = [];
  for (let r = 0; r < ROUNDS; r++) perRound.push(round());
  // What the clients keep per message (transcript, indexes), after full GCs.
  const retained = Math.round((settledHeap() - before) / (ROUNDS * CLIENTS));
  for (const p of peers) p.chat.disconnect();
  perRound.sort((a, b) => a - b);
  const us = (ms) => Math.round(((ms * 1000) / CLIENTS) * 10) / 10;
  const median = us(perRound[Math.floor(perRound.length / 2)]);
  const best = us(perRound[0]);
  const shown = peers[0].chat.transcript.value.length;
  log(`client: ${CLIENTS} visitors x ${ROUNDS} messages; per message (send + its event) median ${median} us, best ${best} us; transcript ${shown} items; ${retained} B kept per message`);
  if (shown !== ROUNDS + 5) throw new Error(`client bench: expected ${ROUNDS + 5} messages in the transcript, got ${shown}`);
  return { client: { usPerMessage: median, usPerMessageBest: best, retainedBytesPerMessage: retained } };
}
