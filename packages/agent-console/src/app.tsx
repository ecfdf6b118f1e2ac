import { useSignalEffect } from '@preact/signals';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { AgentClient, AgentClientOptions, KeyValueStorage } from '@parley/client';
import { LoginScreen } from './login.js';
import { MainView } from './main-view.js';
import { defaultSessionStorage, safeStorage, TOKEN_KEY, type SafeStorage } from './storage.js';
import { strings } from './strings.js';
import { httpTickets, type TicketApi } from './tickets.js';
import { createUnreadTracker } from './unread.js';

/**
 * Logs an agent in. `loginAgent` from `@parley/client` fits; it must resolve with the token
 * and reject with a `{code, message}` error (the relay's message is shown as is).
 *
 * @example
 * const login: LoginFn = (relay, u, p) => loginAgent(relay, u, p);
 */
export type LoginFn = (relay: string, username: string, password: string) => Promise<{ token: string }>;

/**
 * Makes the agent client for a token. `createAgentClient` from `@parley/client` fits.
 *
 * @example
 * const createClient: CreateClientFn = (options) => createAgentClient(options);
 */
export type CreateClientFn = (options: AgentClientOptions) => AgentClient;

/** Timers for the list's age display; injectable so tests control time. */
export interface IntervalTimers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

/** Props of {@link ConsoleApp}. */
export interface ConsoleAppProps {
  /** The relay's base URL, e.g. `https://chat.example.com`. */
  relay: string;
  login: LoginFn;
  createClient: CreateClientFn;
  /** Where the token and the seen seqs live, so a reload stays logged in. @default sessionStorage when available */
  storage?: KeyValueStorage | null;
  /** @default Date.now */
  now?: () => number;
  /** @default globalThis.setInterval / clearInterval */
  timers?: IntervalTimers;
  /** How often the list's ages refresh, in ms. @default 30000 */
  tickMs?: number;
  /** Makes the tickets API for a session. @default httpTickets (the client's HTTP helpers) */
  tickets?: (relay: string, token: string) => TicketApi;
}

const defaultTimers: IntervalTimers = {
  setInterval: (fn, ms) => globalThis.setInterval(fn, ms),
  clearInterval: (handle) => globalThis.clearInterval(handle as ReturnType<typeof setInterval>),
};

/**
 * The whole agent console: the login screen until there is a token, then the main view.
 * The login function and the client factory are injected, so tests run it with fakes.
 *
 * @example
 * import { loginAgent, createAgentClient } from '@parley/client';
 * render(<ConsoleApp relay={location.origin} login={loginAgent} createClient={createAgentClient} />, root);
 */
export function ConsoleApp(props: ConsoleAppProps) {
  const store = useMemo(
    () => safeStorage(props.storage === undefined ? defaultSessionStorage() : props.storage),
    [props.storage],
  );
  const [token, setToken] = useState<string | null>(() => store.get(TOKEN_KEY));
  const [notice, setNotice] = useState<string | null>(null);

  if (!token) {
    return (
      <LoginScreen
        relay={props.relay}
        login={props.login}
        notice={notice}
        onLoggedIn={(t) => {
          store.set(TOKEN_KEY, t);
          setNotice(null);
          setToken(t);
        }}
      />
    );
  }
  return (
    // A new token is a new session: a fresh client, nothing carried over.
    <Session
      key={token}
      {...props}
      token={token}
      store={store}
      onEnd={(why) => {
        store.remove(TOKEN_KEY);
        setNotice(
          why === 'unauthorized' ? strings.login.sessionEnded : why === 'failed' ? strings.login.failed : null,
        );
        setToken(null);
      }}
    />
  );
}

interface SessionProps extends ConsoleAppProps {
  token: string;
  store: SafeStorage;
  onEnd(why: 'logout' | 'unauthorized' | 'failed'): void;
}

/** Owns one agent client from creation to disconnect. */
function Session(props: SessionProps) {
  const { relay, token, createClient } = props;
  // A factory that throws (a malformed relay URL) must not take the page down with it.
  const made = useMemo(() => {
    try {
      return { client: createClient({ relay, token }) };
    } catch (error) {
      return { error };
    }
  }, [createClient, relay, token]);
  const onEnd = useRef(props.onEnd);
  onEnd.current = props.onEnd;

  useEffect(() => {
    if ('error' in made) onEnd.current('failed');
  }, [made]);

  if ('error' in made) return null;
  return <ConnectedSession {...props} client={made.client} onEnd={(why) => onEnd.current(why)} />;
}

function ConnectedSession(props: SessionProps & { client: AgentClient }) {
  const { client, store } = props;
  const unread = useMemo(() => createUnreadTracker(store), [store]);
  const makeTickets = props.tickets ?? httpTickets;
  const tickets = useMemo(() => makeTickets(props.relay, props.token), [makeTickets, props.relay, props.token]);
  const onEnd = useRef(props.onEnd);
  onEnd.current = props.onEnd;

  useEffect(() => {
    client.connect();
    return () => client.disconnect();
  }, [client]);

  // The relay refused the token (expired, revoked, relay restarted with new secrets):
  // retrying cannot help, so go back to the login screen.
  useSignalEffect(() => {
    if (client.lastError.value?.code === 'unauthorized') onEnd.current('unauthorized');
  });

  return (
    <MainView
      client={client}
      unread={unread}
      now={props.now ?? Date.now}
      timers={props.timers ?? defaultTimers}
      tickMs={props.tickMs ?? 30_000}
      tickets={tickets}
      onLogout={() => {
        unread.clear();
        onEnd.current('logout');
      }}
    />
  );
}
