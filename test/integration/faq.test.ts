import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { EventFrame } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRelay, type Relay } from '../../packages/relay/src/index.js';
import { CLI, haveBuild } from '../scale/harness.js';
import { is, visitor, type TestSocket } from './helpers.js';

// The FAQ bot as the relay runs it: a knowledge base edited while the relay runs, and the
// `parley faq` command line.

const DEFAULT_KB = fileURLToPath(new URL('../../packages/relay/kb/default.json', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'parley-faq-'));
const sockets: TestSocket[] = [];
afterAll(() => {
  for (const s of sockets) s.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The shipped knowledge base plus one article about moon coins, which it does not cover. */
function kbWithMoonCoins(): string {
  const kb = JSON.parse(readFileSync(DEFAULT_KB, 'utf8'));
  kb.articles.push({
    id: 'moon-coins',
    category: kb.articles[0].category,
    title: { en: 'Depositing moon coins' },
    body: { en: 'Moon coins are deposited through the lunar gateway.' },
    questions: { en: ['how do I deposit moon coins', 'moon coin deposit'] },
    keywords: { en: ['moon coin', 'lunar'] },
  });
  return JSON.stringify(kb);
}

async function ask(relay: Relay, text: string): Promise<EventFrame> {
  const v = await visitor(relay.url, { lang: 'en' });
  sockets.push(v.socket);
  v.socket.send({ type: 'subscribe', id: 'sub', conversationId: v.conversationId, afterSeq: 0 });
  await v.socket.next(is.ack('sub'));
  v.socket.send({ type: 'send', id: 'q1', conversationId: v.conversationId, text });
  return v.socket.next<EventFrame>(is.event(v.conversationId, (e) => e.kind === 'message' && e.author.role === 'bot'));
}

describe('a running relay and its knowledge base file', () => {
  const file = join(dir, 'kb.json');
  let relay: Relay;
  beforeAll(async () => {
    writeFileSync(file, readFileSync(DEFAULT_KB));
    relay = await createRelay({ config: { port: 0, kbPath: file }, logger: 'silent' });
  });
  afterAll(() => relay.close());

  it('answers from an edited knowledge base without a restart, and keeps the last good one when an edit is invalid', async () => {
    const before = await ask(relay, 'how do I deposit moon coins with the lunar gateway?');
    expect(before.event).not.toHaveProperty('articleId', 'moon-coins');

    writeFileSync(file, kbWithMoonCoins());
    await expect.poll(() => relay.faq.kb.articles.some((a) => a.id === 'moon-coins'), { timeout: 5000 }).toBe(true);
    expect((await ask(relay, 'how do I deposit moon coins with the lunar gateway?')).event).toMatchObject({ articleId: 'moon-coins' });

    writeFileSync(file, '{"version": 1, "languages": ["en"], "categories": [], "articles": [');
    await new Promise((r) => setTimeout(r, 500));
    expect((await ask(relay, 'how do I deposit moon coins with the lunar gateway?')).event).toMatchObject({ articleId: 'moon-coins' });
  });
});

const run = promisify(execFile);
const cli = (args: string[]) =>
  run(process.execPath, [CLI, ...args], { env: { ...process.env, PARLEY_CONFIG: '' } }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

describe.skipIf(!haveBuild)('parley faq', () => {
  it('ask prints the decision as JSON', async () => {
    const out = await cli(['faq', 'ask', '--kb', DEFAULT_KB, '--lang', 'zh', 'USDT 充值没到账']);
    expect(out.code).toBe(0);
    const d = JSON.parse(out.stdout);
    expect(d).toMatchObject({ kind: 'answer', articleId: 'deposit-not-arrived' });
    expect(Object.keys(d)).toEqual(['kind', 'articleId', 'confidence', 'suggestions']);
    expect(JSON.parse((await cli(['faq', 'ask', 'let me talk to a real person'])).stdout)).toEqual({ kind: 'handoff', articleId: null, confidence: 1, suggestions: [] });
  });

  it('ask uses the thresholds of the config file', async () => {
    const config = join(dir, 'parley.json');
    writeFileSync(config, JSON.stringify({ bot: { thresholds: { answer: 1, ambiguity: 0 } } }));
    const d = JSON.parse((await cli(['faq', 'ask', '--config', config, 'my deposit has not arrived yet'])).stdout);
    expect(d.kind).toBe('suggest');
    expect(d.suggestions[0]).toBe('deposit-not-arrived');
  });

  it('eval --json prints one report of the queries file', async () => {
    const queries = join(dir, 'queries.json');
    writeFileSync(
      queries,
      JSON.stringify([
        { q: 'my deposit has not arrived', lang: 'en', expect: 'deposit-not-arrived' },
        { q: '转人工', lang: 'zh', expect: 'handoff' },
        { q: 'my account was hacked', lang: 'en', expect: 'urgent' },
        { q: 'recommend me a good pizza place', lang: 'en', expect: 'fees' },
      ]),
    );
    const out = await cli(['faq', 'eval', '--kb', DEFAULT_KB, '--queries', queries, '--json']);
    expect(out.code).toBe(0);
    const report = JSON.parse(out.stdout.trim().split('\n').at(-1)!);
    expect(report).toMatchObject({ total: 4, correct: 3, accuracy: 0.75, urgentAnsweredOrNone: 0 });
    expect(Object.keys(report)).toEqual(expect.arrayContaining(['byLanguage', 'byExpect', 'top3', 'misses']));
    expect(report.misses).toHaveLength(1);
    expect(report.misses[0]).toMatchObject({ q: 'recommend me a good pizza place', expect: 'fees', got: { kind: 'none' } });
  });

  it('names the file, the article and the field of an invalid knowledge base', async () => {
    const bad = join(dir, 'bad.json');
    const kb = JSON.parse(readFileSync(DEFAULT_KB, 'utf8'));
    delete kb.articles[2].body.en;
    writeFileSync(bad, JSON.stringify(kb));
    const out = await cli(['faq', 'ask', '--kb', bad, 'hello']);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`Invalid knowledge base ${bad}: article "${kb.articles[2].id}" (articles[2]), field "body"`);
  });
});
