import type { AgentRef } from '@parley/protocol';
import { requestJson } from './http.js';

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
  const ok = await requestJson<{ token: string; agent: { id: string; name: string } }>(
    relay,
    'POST',
    '/api/agent/login',
    { ...options, body: { username, password } },
    (b) => {
      const agent = b.agent as { id?: unknown; name?: unknown } | null | undefined;
      return typeof b.token === 'string' && typeof agent?.id === 'string' && typeof agent.name === 'string';
    },
    'a token and an agent',
  );
  return { token: ok.token, agent: { id: ok.agent.id, name: ok.agent.name } };
}
