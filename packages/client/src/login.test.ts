import { describe, expect, it } from 'vitest';
import { ParleyError } from './errors.js';
import { loginAgent } from './login.js';

function fakeFetch(status: number, body: unknown, calls: { url: string; init: RequestInit | undefined }[] = []): typeof fetch {
  return (async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init });
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
}

describe('loginAgent', () => {
  it('posts the credentials as JSON and returns the token and agent', async () => {
    const calls: { url: string; init: RequestInit | undefined }[] = [];
    const fetch = fakeFetch(200, { token: 'tok-0123456789abcdef', agent: { id: 'a1', name: 'Ana' } }, calls);
    await expect(loginAgent('https://chat.example.com/desk/', 'ana', 'secret', { fetch })).resolves.toEqual({
      token: 'tok-0123456789abcdef',
      agent: { id: 'a1', name: 'Ana' },
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('https://chat.example.com/desk/api/agent/login');
    expect(calls[0]!.init).toMatchObject({ method: 'POST', headers: { 'content-type': 'application/json' } });
    expect(JSON.parse(String(calls[0]!.init!.body))).toEqual({ username: 'ana', password: 'secret' });
  });

  it('throws the relay error code on 401', async () => {
    const fetch = fakeFetch(401, { error: { code: 'unauthorized', message: 'wrong user name or password' } });
    const error = await loginAgent('http://relay.test', 'ana', 'nope', { fetch }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParleyError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: 'unauthorized', message: 'wrong user name or password' });
  });

  it('reports unreachable relays and unexpected answers with their own codes', async () => {
    const down = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    await expect(loginAgent('http://relay.test', 'a', 'b', { fetch: down })).rejects.toMatchObject({ code: 'network' });
    await expect(loginAgent('http://relay.test', 'a', 'b', { fetch: fakeFetch(502, '<html>bad gateway') })).rejects.toMatchObject({
      code: 'bad_response',
      message: 'POST /api/agent/login failed with HTTP 502',
    });
    await expect(loginAgent('http://relay.test', 'a', 'b', { fetch: fakeFetch(200, { token: 5 }) })).rejects.toMatchObject({ code: 'bad_response' });
  });
});
