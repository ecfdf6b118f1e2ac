import { useId, useRef } from 'preact/hooks';
import type { TargetedKeyboardEvent } from 'preact';
import type { AgentRef, ConversationSummary } from '@parley/protocol';
import { filterTab, formatAge, TABS, type Tab } from './lists.js';
import { strings } from './strings.js';
import type { UnreadTracker } from './unread.js';

/** Props of {@link ConversationList}. */
export interface ConversationListProps {
  queue: readonly ConversationSummary[];
  me: AgentRef | null;
  tab: Tab;
  onTab(tab: Tab): void;
  openId: string | null;
  unread: UnreadTracker;
  /** Epoch ms used for the ages. */
  now: number;
  onOpen(id: string): void;
}

/**
 * The list panel: three tabs (Waiting, Mine, All) following the WAI-ARIA tabs pattern
 * (arrow keys, Home and End move between tabs; selection follows focus), and one button per
 * conversation.
 *
 * @example
 * <ConversationList queue={q} me={me} tab="waiting" onTab={setTab} openId={null} unread={u} now={Date.now()} onOpen={open} />
 */
export function ConversationList(props: ConversationListProps) {
  const { queue, me, tab, onTab, openId, unread, now, onOpen } = props;
  const base = useId();
  const tabRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const rows = filterTab(queue, tab, me);

  function onKeyDown(event: TargetedKeyboardEvent<HTMLDivElement>) {
    const current = TABS.indexOf(tab);
    let next: number;
    switch (event.key) {
      case 'ArrowRight':
        next = (current + 1) % TABS.length;
        break;
      case 'ArrowLeft':
        next = (current - 1 + TABS.length) % TABS.length;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = TABS.length - 1;
        break;
      default:
        return;
    }
    event.preventDefault();
    onTab(TABS[next]!);
    tabRefs.current[next]?.focus();
  }

  return (
    <section class="pc-list-pane" aria-labelledby={`${base}-h`}>
      <h2 id={`${base}-h`} class="pc-vh">
        {strings.list.label}
      </h2>
      <div role="tablist" aria-label={strings.list.label} class="pc-tabs" onKeyDown={onKeyDown}>
        {TABS.map((t, i) => {
          const count = filterTab(queue, t, me).length;
          const selected = t === tab;
          return (
            <button
              key={t}
              ref={(el) => {
                tabRefs.current[i] = el;
              }}
              type="button"
              role="tab"
              id={`${base}-tab-${t}`}
              aria-selected={selected}
              aria-controls={`${base}-panel`}
              tabIndex={selected ? 0 : -1}
              class="pc-tab"
              onClick={() => onTab(t)}
            >
              {strings.list.tabs[t]}{' '}
              <span class="pc-badge">{count}</span>
            </button>
          );
        })}
      </div>
      <div
        role="tabpanel"
        id={`${base}-panel`}
        aria-labelledby={`${base}-tab-${tab}`}
        class="pc-tabpanel"
        // An empty panel still needs to be reachable so its "nobody waiting" text is read.
        tabIndex={rows.length ? undefined : 0}
      >
        {rows.length === 0 ? (
          <p class="pc-empty">{strings.list.empty[tab]}</p>
        ) : (
          <ul class="pc-rows">
            {rows.map((c) => (
              <li key={c.id}>
                <Row
                  summary={c}
                  me={me}
                  showStatus={tab === 'all'}
                  open={c.id === openId}
                  unread={c.id === openId ? 0 : unread.count(c)}
                  now={now}
                  onOpen={onOpen}
                />
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

interface RowProps {
  summary: ConversationSummary;
  me: AgentRef | null;
  showStatus: boolean;
  open: boolean;
  unread: number;
  now: number;
  onOpen(id: string): void;
}

/** One conversation: a button, so Tab reaches it and Enter or Space opens it. */
function Row({ summary, me, showStatus, open, unread, now, onOpen }: RowProps) {
  const url = summary.context?.url;
  const age = formatAge(summary.waitingSince ?? summary.createdAt, now);
  const status =
    summary.status === 'active' && summary.agent
      ? summary.agent.id === me?.id
        ? strings.list.status.active
        : strings.list.takenBy(summary.agent.name)
      : strings.list.status[summary.status];
  return (
    <button
      type="button"
      class={`pc-row${open ? ' pc-row-open' : ''}${unread ? ' pc-row-unread' : ''}`}
      aria-current={open ? 'true' : undefined}
      data-conversation={summary.id}
      onClick={() => onOpen(summary.id)}
    >
      <span class="pc-row-flags">
        {summary.priority === 'urgent' ? <span class="pc-urgent">{strings.list.urgent}</span> : null}
        {summary.verified ? <span class="pc-verified">{strings.list.verified}</span> : null}
        {summary.topic ? (
          <span class="pc-row-topic">
            <span class="pc-vh">{strings.list.topic}: </span>
            {summary.topic}
          </span>
        ) : null}
        {summary.rating ? <span class="pc-row-rating">{strings.conversation.rating(summary.rating.score)}</span> : null}
      </span>
      <span class="pc-row-preview">{summary.preview || strings.list.noPreview}</span>
      <span class="pc-row-meta">
        <span class="pc-row-lang">{summary.lang ?? strings.list.unknownLang}</span>
        {url ? (
          <span class="pc-row-url" title={url}>
            {url}
          </span>
        ) : null}
        <span class="pc-row-age">{summary.status === 'waiting' ? strings.list.waited(age) : age}</span>
        {showStatus ? <span class="pc-row-status">{status}</span> : null}
      </span>
      {unread > 0 ? <span class="pc-unread">{strings.list.unread(unread)}</span> : null}
    </button>
  );
}
