import { useEffect, useRef, useState } from 'preact/hooks';
import type { AgentClient } from '@parley/client';
import type { IntervalTimers } from './app.js';
import { ConversationList } from './conversation-list.js';
import { ConversationView } from './conversation-view.js';
import type { Tab } from './lists.js';
import { strings } from './strings.js';
import type { UnreadTracker } from './unread.js';

/** Props of {@link MainView}. */
export interface MainViewProps {
  client: AgentClient;
  unread: UnreadTracker;
  now: () => number;
  timers: IntervalTimers;
  tickMs: number;
  onLogout(): void;
}

/**
 * The logged-in screen: header (agent, connection state, log out), the conversation list
 * and the open conversation side by side.
 *
 * @example
 * <MainView client={client} unread={tracker} now={Date.now} timers={timers} tickMs={30000} onLogout={end} />
 */
export function MainView({ client, unread, now, timers, tickMs, onLogout }: MainViewProps) {
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
        <button type="button" class="pc-logout" onClick={onLogout}>
          {strings.header.logout}
        </button>
      </header>
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
    </div>
  );
}
