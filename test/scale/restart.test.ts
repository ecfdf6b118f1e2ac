import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { createVisitorClient, type TranscriptItem, type VisitorClient } from '@parley/client';
import { SqliteStore } from '@parley/relay';
import { clientPlatform, freePort, haveBuild, killAll, noBuildMessage, sleep, startRelay, until, writeConfig } from './harness.js';

// Crash safety on the embedded default: one relay process on SQLite is SIGKILLed while 100
// visitors (the real client over real WebSockets) are mid-conversation, then restarted on the
// same file and port. Every message a client sent is stored exactly once, in its order, and
// every client ends with the same transcript as the store.

const VISITORS = 100;
const MESSAGES = 20;
const EVERY_MS = 40;

const visitorTexts = (items: TranscriptItem[]) =>
  items.flatMap((i) => (i.kind === 'message' && i.author.role === 'visitor' && !i.pending ? [i.text] : []));

afterAll(() => killAll());

describe.skipIf(!haveBuild)('restart of a single SQLite relay', () => {
  it(`loses and doubles nothing when SIGKILLed with ${VISITORS} conversations in progress`, { timeout: 90_000 }, async () => {
    const config = await writeConfig({ limits: { framesPerSecond: 100, burst: 200 } });
    const sqlitePath = join(JSON.parse(await readFile(config, 'utf8')).dataDir, 'parley.sqlite');
    const port = await freePort();
    let relay = await startRelay({ config, port });

    const clients: VisitorClient[] = [];
    try {
      for (let i = 0; i < VISITORS; i++) {
        const client = createVisitorClient({ relay: relay.url, ...clientPlatform, storage: null, lang: 'en' });
        clients.push(client);
        client.connect();
      }
      await Promise.all(clients.map((c) => until(c.state, (s) => s === 'online', 'every visitor online', 20_000)));
      const expected = clients.map((_, v) => Array.from({ length: MESSAGES }, (_, m) => `visitor ${v} message ${m}`));

      // Every visitor sends one message per tick; the relay is killed part-way through.
      let killedAfterTick = -1;
      let ackedAtKill = 0;
      for (let m = 0; m < MESSAGES; m++) {
        clients.forEach((c, v) => c.send(expected[v]![m]!));
        if (m === Math.floor(MESSAGES / 3)) {
          await sleep(EVERY_MS / 2);
          ackedAtKill = clients.reduce((n, c) => n + visitorTexts(c.transcript.value).length, 0);
          relay.kill('SIGKILL');
          expect(await relay.exited).toBe('SIGKILL');
          killedAfterTick = m;
          relay = await startRelay({ config, port });
        }
        await sleep(EVERY_MS);
      }
      // The kill really was mid-conversation: some messages were acked, many were not yet sent.
      expect(killedAfterTick).toBeGreaterThan(0);
      expect(ackedAtKill).toBeGreaterThan(0);
      expect(ackedAtKill).toBeLessThan(VISITORS * MESSAGES);

      // Every client reconnects, resends its outbox, and ends with all of its messages acked once.
      await Promise.all(
        clients.map((c, v) =>
          until(c.transcript, (t) => visitorTexts(t).length >= MESSAGES && !t.some((i) => i.kind === 'message' && i.pending), `visitor ${v} all acked`, 30_000),
        ),
      );
      for (const [v, c] of clients.entries()) {
        expect(visitorTexts(c.transcript.value)).toEqual(expected[v]);
        const seqs = c.transcript.value.flatMap((i) => (i.seq !== undefined ? [i.seq] : []));
        expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
      }

      // The store, read beside the running relay (WAL allows a concurrent reader), agrees.
      const store = new SqliteStore({ path: sqlitePath });
      try {
        for (const [v, c] of clients.entries()) {
          const events = await store.eventsAfter(c.conversation.value!.id, 0, 10_000);
          const mine = events.flatMap((e) => (e.kind === 'message' && e.author.role === 'visitor' ? [e] : []));
          expect(mine.map((e) => e.text)).toEqual(expected[v]);
          expect(new Set(mine.map((e) => e.clientId)).size).toBe(MESSAGES);
          expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
        }
      } finally {
        await store.close();
      }
    } finally {
      for (const c of clients) c.disconnect();
      relay.kill('SIGKILL');
    }
  });
});

// Said once, and only when it applies: a skipped suite must say why.
if (!haveBuild) it.skip(`restart of a single SQLite relay: ${noBuildMessage}`, () => {});
