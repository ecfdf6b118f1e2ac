import type { AckFrame, EventFrame, PositionFrame, QueueFrame, RosterFrame, ServerFrame, WelcomeFrame } from '@parley/protocol';
import { createRelay, hashPassword, type AgentInput, type Relay, type RelayOptions } from '../../packages/relay/src/index.js';
import { connect, is, visitor, type TestSocket } from './helpers.js';

/** Cheap scrypt parameters keep tests fast; the format is the one production uses. */
let cheapHash: Promise<string> | null = null;
export const PASSWORD = 'agent-password';
const hash = () => (cheapHash ??= hashPassword(PASSWORD, { N: 1024, r: 8, p: 1 }));

/** Agents for a test desk: `{ id, ...skills }` -> a full agent input with a cheap password. */
export async function agentsOf(list: (Partial<AgentInput> & { id: string })[]): Promise<AgentInput[]> {
  const passwordHash = await hash();
  return list.map((a) => ({ username: a.id, name: a.id[0]!.toUpperCase() + a.id.slice(1), passwordHash, ...a }));
}

/** A relay for one test file section, with its sockets closed on `close`. */
export interface DeskFixture {
  relay: Relay;
  sockets: TestSocket[];
  close(): Promise<void>;
}

export async function deskRelay(agents: (Partial<AgentInput> & { id: string })[], config: RelayOptions['config'] = {}, extra: Omit<RelayOptions, 'config'> = {}): Promise<DeskFixture> {
  const relay = await createRelay({ config: { port: 0, agents: await agentsOf(agents), ...config }, logger: 'silent', bot: null, ...extra });
  const sockets: TestSocket[] = [];
  return {
    relay,
    sockets,
    async close() {
      for (const s of sockets) s.close();
      await relay.close();
    },
  };
}

/** Log in over HTTP and return the token. */
export async function tokenOf(relay: Relay, username: string): Promise<string> {
  const res = await fetch(`${relay.url}/api/agent/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

/** An agent connection after welcome, first queue and roster. */
export async function agentConn(f: DeskFixture, username: string): Promise<{ socket: TestSocket; token: string; welcome: WelcomeFrame }> {
  const token = await tokenOf(f.relay, username);
  const socket = await connect(f.relay.url);
  f.sockets.push(socket);
  socket.send({ type: 'hello', role: 'agent', token });
  const welcome = await socket.next<WelcomeFrame>(is.type('welcome'));
  await socket.next<QueueFrame>(is.type('queue'));
  await socket.next<RosterFrame>(is.type('roster'));
  return { socket, token, welcome };
}

/** A visitor that said hello and subscribed to their conversation. */
export async function visitorConn(f: DeskFixture, hello: Parameters<typeof visitor>[1] = {}) {
  const v = await visitor(f.relay.url, hello);
  f.sockets.push(v.socket);
  v.socket.send({ type: 'subscribe', id: 'sub', conversationId: v.conversationId, afterSeq: 0 });
  await v.socket.next(is.ack('sub'));
  return v;
}

let n = 0;
/**
 * Send a frame with a fresh id and wait for its answer (see `is.answer`: an ack, or a sent
 * message's own event); rejects on an error frame.
 */
export async function request(socket: TestSocket, frame: Record<string, unknown> & { type: string }): Promise<AckFrame | EventFrame> {
  const id = `r${++n}`;
  socket.send({ ...frame, id } as never);
  const answer = await socket.next<ServerFrame>(is.answer(id));
  if (answer.type === 'error') throw Object.assign(new Error(`${answer.code}: ${answer.message}`), { code: answer.code });
  return answer as AckFrame | EventFrame;
}

/** The next position frame (optionally with a given position). */
export const positionIs = (conversationId: string, position?: number) => (f: ServerFrame) =>
  f.type === 'position' && f.conversationId === conversationId && (position === undefined || f.position === position);
export type { PositionFrame };

/** Wait until `check` holds, polling (for state that settles through several async hops). */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
