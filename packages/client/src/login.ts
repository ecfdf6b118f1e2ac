import type { AgentRef } from '@parley/protocol';
import { ParleyError } from './errors.js';
import { relayHttpUrl } from './url.js';

/** Options of {@link loginAgent}. */
export interface LoginOptions {
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** What a successful login returns: the token for `createAgentClient`, and who logged in. */
export interface LoginResult {
  token: string;
  agent: AgentRef;
}

/**
 * Log an agent in with `POST /api/agent/login`. Rejects with a {@link ParleyError} whose
 * `code` is the relay's (`unauthorized` for a wrong password), or `network` /
 * `bad_response` when the relay could not be reached or answered something else.
 *
 * @example
 * try {
 *   const { token, agent } = await loginAgent('https://chat.example.com', 'ana', password);
 * } catch (e) {
 *   if (e instanceof ParleyError && e.code === 'unauthorized') showError('Wrong user name or password');
 * }
 */
export async function loginAgent(relay: string, username: string, password: string, options: LoginOptions = {}): Promise<LoginResult> {
  const url = relayHttpUrl(relay, '/api/agent/login');
  const doFetch = options.fetch ?? globalThis.fetch;
  let res: Response;
  try {
    // Called unbound as a plain function: window.fetch throws "Illegal invocation" when
    // called as a method of another object.
    res = await doFetch.call(globalThis, url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
  } catch (error) {
    throw new ParleyError('network', `could not reach the relay: ${error instanceof Error ? error.message : String(error)}`);
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const err = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    if (err && typeof err.code === 'string') {
      throw new ParleyError(err.code, typeof err.message === 'string' ? err.message : `login failed (${res.status})`);
    }
    throw new ParleyError('bad_response', `login failed with HTTP ${res.status}`);
  }
  const ok = body as { token?: unknown; agent?: { id?: unknown; name?: unknown } } | undefined;
  if (typeof ok?.token !== 'string' || typeof ok.agent?.id !== 'string' || typeof ok.agent.name !== 'string') {
    throw new ParleyError('bad_response', 'the relay answered the login without a token and agent');
  }
  return { token: ok.token, agent: { id: ok.agent.id, name: ok.agent.name } };
}
