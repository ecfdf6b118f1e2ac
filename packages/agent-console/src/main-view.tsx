import { useEffect, useRef, useState } from 'preact/hooks';
import type { AgentClient } from '@parley/client';
import type { AgentStatus } from '@parley/protocol';
import type { IntervalTimers } from './app.js';
import { ConversationList } from './conversation-list.js';
import { ConversationView } from './conversation-view.js';
import type { Tab } from './lists.js';
import { strings } from './strings.js';
import { TicketsView, type TicketApi } from './tickets.js';
import type { UnreadTracker } from './unread.js';

/** Props of {@link MainView}. */
export interface MainViewProps {
  client: AgentClient;
  unread: UnreadTracker;
  now: () => number;
  timers: IntervalTimers;
  tickMs: number;
  tickets: TicketApi;
  onLogout(): void;
}

/**
 * The logged-in screen: header (agent, connection state, log out), the conversation list
 * and the open conversation side by side.
 *
 * @example
 * <MainView client={client} unread={tracker} now={Date.now} timers={timers} tickMs={30000} onLogout={end} />
 */
export function MainView({ client, unread, now, timers, tickMs, tickets, onLogout }: MainViewProps) {
  const [view, setView] = useState<'conversations' | 'tickets'>('conversations');
  const [statusError, setStatusError] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>('waiting');
  const [openId, setOpenId] = useState<string | null>(null);
  const [time, setTime] = useState(now);
  const drafts = useRef(new Map<string, string>()).current;

  // Ages in the list ("4 min") move on without any event from the relay.
  useEffect(() => {
    if (!(tickMs > 0)) return;
    const handle = timers.setInterval(() => setTime(now()), tickMs);
    return () => timers.clearInterval(handle);
  }, [timers, tickMs, now]);

  const me = client.me.value;
  const state = client.state.value;
  const queue = client.queue.value;
  const open = openId ? queue.find((c) => c.id === openId) : undefined;

  return (
    <div class="pc-console">
      <header class="pc-header">
        <h1 class="pc-title">{strings.appTitle}</h1>
        <span class="pc-me">{me?.name ?? ''}</span>
        <span class={`pc-state pc-state-${state}`} role="status">
          <span class="pc-vh">{strings.header.connection}: </span>
          {strings.header.state[state]}
        </span>
        <nav aria-label={strings.header.views} class="pc-views">
          {(['conversations', 'tickets'] as const).map((v) => (
            <button key={v} type="button" aria-pressed={view === v} onClick={() => setView(v)}>
              {strings.header[v]}
            </button>
          ))}
        </nav>
        <label class="pc-my-status">
          {strings.header.myStatus}{' '}
          <select
            value={client.status.value}
            onChange={(e) => {
              setStatusError(null);
              client.setStatus(e.currentTarget.value as AgentStatus).catch((err: unknown) => {
                const m = (err as { message?: unknown } | null)?.message;
                setStatusError(strings.conversation.actionFailed(typeof m === 'string' ? m : String(err)));
              });
            }}
          >
            {(['online', 'away', 'offline'] as const).map((st) => (
              <option key={st} value={st}>
                {strings.header.agentStatus[st]}
              </option>
            ))}
          </select>
        </label>
        {statusError ? (
          <span class="pc-error" role="alert">
            {statusError}
          </span>
        ) : null}
        <button type="button" class="pc-logout" onClick={onLogout}>
          {strings.header.logout}
        </button>
      </header>
      {view === 'tickets' ? (
        <main class="pc-tickets-pane">
          <TicketsView api={tickets} now={time} />
        </main>
      ) : (
      <div class="pc-panes">
        <ConversationList
          queue={queue}
          me={me}
          tab={tab}
          onTab={setTab}
          openId={openId}
          unread={unread}
          now={time}
          onOpen={setOpenId}
        />
        <main class="pc-conversation-pane">
          {openId ? (
            <ConversationView
              key={openId}
              client={client}
              id={openId}
              me={me}
              summary={open}
              unread={unread}
              drafts={drafts}
            />
          ) : (
            <p class="pc-placeholder">{strings.conversation.none}</p>
          )}
        </main>
      </div>
      )}
    </div>
  );
}
