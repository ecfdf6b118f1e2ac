import { describe, expect, it } from 'vitest';
import { roundRobinFetch } from './harness.js';

// A fake network: port 1 refuses connections (a killed relay), port 2 answers a little later.
const DEAD = 1;
const LIVE = 2;
const network: typeof fetch = async (input, init) => {
  const port = Number(new URL(String(input)).port);
  await new Promise((resolve) => setTimeout(resolve, port === DEAD ? 1 : 10));
  if (init?.signal?.aborted) throw new DOMException('aborted', 'AbortError');
  if (port === DEAD) throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
  return new Response(String(port));
};

describe('roundRobinFetch', () => {
  it('sends each request to the next relay in turn', async () => {
    const hits: number[] = [];
    const rr = roundRobinFetch([LIVE, 3], hits, async (input) => new Response(new URL(String(input)).port));
    for (let i = 0; i < 4; i++) await rr('http://127.0.0.1:9/x');
    expect(hits).toEqual([LIVE, 3, LIVE, 3]);
  });

  it('a request refused by a dead relay is answered by the live one, even while another request is in flight', async () => {
    // With the retry taken from a counter the concurrent request also advanced, the retry of
    // the first request went back to the dead relay and failed: the polling transport then
    // closed and aborted the send in flight, over and over (the flaky multi-relay test).
    const hits: number[] = [];
    const rr = roundRobinFetch([DEAD, LIVE], hits, network);
    const answers = await Promise.all([rr('http://127.0.0.1:9/events'), rr('http://127.0.0.1:9/send')]);
    expect(await Promise.all(answers.map((r) => r.text()))).toEqual([String(LIVE), String(LIVE)]);
    expect(hits).toEqual([LIVE, LIVE]);
  });

  it('does not retry a request its caller aborted', async () => {
    const tried: number[] = [];
    const rr = roundRobinFetch([LIVE, 3], [], async (input, init) => {
      tried.push(Number(new URL(String(input)).port));
      return network(input, init);
    });
    const ctl = new AbortController();
    const pending = rr('http://127.0.0.1:9/send', { signal: ctl.signal });
    ctl.abort();
    await expect(pending).rejects.toThrow('aborted');
    expect(tried).toEqual([LIVE]);
  });
});
