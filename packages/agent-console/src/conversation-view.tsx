import { useEffect, useId, useMemo, useRef, useState } from 'preact/hooks';
import type { AgentClient, TranscriptItem } from '@parley/client';
import type { AgentRef, ConversationStatus, ConversationSummary, VisitorContext } from '@parley/protocol';
import { Composer } from './composer.js';
import { TransferDialog } from './transfer.js';
import { formatTime } from './lists.js';
import { strings } from './strings.js';
import type { UnreadTracker } from './unread.js';

/** Props of {@link ConversationView}. */
export interface ConversationViewProps {
  client: AgentClient;
  id: string;
  me: AgentRef | null;
  /** The queue's summary; absent once the conversation left the queue (closed). */
  summary: ConversationSummary | undefined;
  unread: UnreadTracker;
  /** Unsent replies per conversation, so switching conversations keeps what was typed. */
  drafts?: Map<string, string>;
}

/**
 * One conversation: the whole transcript (bot part included), the visitor's context, and
 * the actions (take, reply, close). Opening it moves focus to its heading.
 *
 * @example
 * <ConversationView key={id} client={client} id={id} me={me} summary={summary} unread={tracker} />
 */
export function ConversationView({ client, id, me, summary, unread, drafts }: ConversationViewProps) {
  const transcript = useMemo(() => client.transcript(id), [client, id]);
  const items = transcript.value;
  const ids = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const logRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const errorRef = useRef<HTMLParagraphElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const [busy, setBusy] = useState<'take' | 'close' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [transferring, setTransferring] = useState(false);
  const justTook = useRef(false);
  const visitorTyping = useMemo(() => client.typing(id), [client, id]).value;
  const desk = client.desk.value;

  // The conversation's own summary stays current after it leaves the queue (closed), so a
  // rating given after the close still shows; before it arrives, the last queue entry.
  const own = useMemo(() => client.summary(id), [client, id]).value;
  const lastSummary = useRef(summary);
  if (summary) lastSummary.current = summary;
  const info = own ?? summary ?? lastSummary.current;
  const lastStatus = findLastStatus(items);
  // The queue is the relay's newest word; without it, the transcript's last status change.
  const status: ConversationStatus | undefined = summary
    ? summary.status
    : (lastStatus?.status ?? info?.status);
  const agent = summary ? summary.agent : (lastStatus?.agent ?? info?.agent);
  const mine = status === 'active' && !!me && agent?.id === me.id;
  const canClose = status === 'waiting' || mine;

  const mounted = useRef(true);
  useEffect(() => {
    headingRef.current?.focus();
    return () => {
      mounted.current = false;
    };
  }, []);

  // Everything on screen counts as seen.
  const lastSeq = Math.max(summary?.lastSeq ?? 0, maxSeq(items));
  useEffect(() => unread.markSeen(id, lastSeq), [unread, id, lastSeq]);

  // Follow the conversation as it grows.
  useEffect(() => {
    const log = logRef.current;
    if (log) log.scrollTop = log.scrollHeight;
  }, [items.length]);

  // After a successful take the next thing to do is reply.
  useEffect(() => {
    if (mine && justTook.current) {
      justTook.current = false;
      inputRef.current?.focus();
    }
  }, [mine]);

  useEffect(() => {
    if (error) errorRef.current?.focus();
  }, [error]);
  // Into the confirm step: focus its "yes"; back out of it: return to the Close button
  // (absent after a successful close, where focus went to the heading instead).
  const wasConfirming = useRef(false);
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
    else if (wasConfirming.current) closeRef.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  async function run(kind: 'take' | 'close', action: () => Promise<void>) {
    if (busy) return;
    setBusy(kind);
    setError(null);
    try {
      await action();
      if (!mounted.current) return;
      if (kind === 'take') justTook.current = true;
      // The close button is gone now; keep the keyboard user's place.
      if (kind === 'close') headingRef.current?.focus();
    } catch (err) {
      if (!mounted.current) return;
      setError(actionError(err));
    } finally {
      if (mounted.current) setBusy(null);
    }
  }

  const disabledReason =
    status === 'closed'
      ? strings.composer.disabledClosed
      : status === 'active'
        ? strings.composer.disabledOther
        : strings.composer.disabledWaiting;

  return (
    <article class="pc-conversation" aria-labelledby={`${ids}-h`}>
      <div class="pc-conversation-main">
        <h2 id={`${ids}-h`} ref={headingRef} tabIndex={-1} class="pc-conversation-heading">
          {strings.conversation.heading(info?.lang)}
          {status ? <span class="pc-conversation-status"> · {statusWord(status, agent, me)}</span> : null}
        </h2>
        <div
          ref={logRef}
          role="log"
          aria-live="polite"
          aria-label={strings.conversation.transcript}
          class="pc-transcript"
          // Scrollable regions must be reachable by keyboard to scroll them.
          tabIndex={0}
        >
          {items.length === 0 ? (
            <p class="pc-empty">{strings.conversation.empty}</p>
          ) : (
            <ol class="pc-items">
              {items.map((item) => (
                <Item key={item.key} item={item} me={me} />
              ))}
            </ol>
          )}
        </div>
        {error ? (
          <p class="pc-error" role="alert" tabIndex={-1} ref={errorRef}>
            {error}
          </p>
        ) : null}
        <div class="pc-actions">
          {status === 'waiting' ? (
            <button
              type="button"
              class="pc-primary"
              // aria-disabled, not disabled: a disabled button drops keyboard focus.
              aria-disabled={busy ? true : undefined}
              onClick={() => run('take', () => client.take(id))}
            >
              {busy === 'take' ? strings.conversation.taking : strings.conversation.take}
            </button>
          ) : null}
          {status === 'active' && !mine && agent ? (
            <p class="pc-note">{strings.conversation.takenByOther(agent.name)}</p>
          ) : null}
          {status === 'closed' ? <p class="pc-note">{strings.conversation.closedNote}</p> : null}
          {mine ? (
            <button type="button" onClick={() => setTransferring(true)}>
              {strings.conversation.transfer}
            </button>
          ) : null}
          {canClose && !confirming ? (
            <button type="button" ref={closeRef} class="pc-danger" onClick={() => setConfirming(true)}>
              {strings.conversation.close}
            </button>
          ) : null}
          {canClose && confirming ? (
            <div role="group" aria-labelledby={`${ids}-confirm`} class="pc-confirm">
              <p id={`${ids}-confirm`}>{strings.conversation.closeConfirm}</p>
              <button
                type="button"
                ref={confirmRef}
                class="pc-danger"
                aria-disabled={busy ? true : undefined}
                onClick={() =>
                  run('close', async () => {
                    await client.close(id);
                    // Closed: focus goes to the heading (in run), not back to a Close button.
                    wasConfirming.current = false;
                    if (mounted.current) setConfirming(false);
                  })
                }
              >
                {busy === 'close' ? strings.conversation.closing : strings.conversation.closeYes}
              </button>
              <button
                type="button"
                onClick={() => setConfirming(false)}
              >
                {strings.conversation.closeNo}
              </button>
            </div>
          ) : null}
        </div>
        {info?.rating ? (
          <p class="pc-rating">
            {strings.conversation.rating(info.rating.score)}
            {info.rating.comment ? <q>{info.rating.comment}</q> : null}
          </p>
        ) : null}
        <p class="pc-typing" aria-live="polite">
          {visitorTyping && status !== 'closed' ? strings.conversation.typing : ''}
        </p>
        {transferring ? (
          <TransferDialog
            roster={client.roster.value}
            teams={desk?.teams ?? []}
            me={me}
            onTransfer={(target) => client.transfer(id, target)}
            onClose={() => setTransferring(false)}
          />
        ) : null}
        <Composer
          inputRef={inputRef}
          enabled={mine}
          disabledReason={disabledReason}
          onSend={(text) => client.send(id, text)}
          onNote={status === 'closed' ? undefined : (text) => client.note(id, text)}
          onTyping={(typing) => client.setTyping(id, typing)}
          savedReplies={desk?.savedReplies ?? []}
          draft={drafts?.get(id)}
          onDraft={(text) => (text ? drafts?.set(id, text) : drafts?.delete(id))}
        />
      </div>
      <ContextPanel context={info?.context} lang={info?.lang} summary={info} />
    </article>
  );
}

/** One transcript line: a message (author labelled) or a status change. */
function Item({ item, me }: { item: TranscriptItem; me: AgentRef | null }) {
  const time = (
    <time class="pc-time" dateTime={new Date(item.at).toISOString()}>
      {formatTime(item.at)}
    </time>
  );
  if (item.kind === 'status') {
    const t = item.transfer;
    const line = item.ticket
      ? strings.conversation.ticketMade(item.ticket)
      : t && (t.toAgent || t.toTeam)
        ? strings.conversation.transferred(t.toAgent?.name ?? strings.transfer.team(t.toTeam!))
        : statusLine(item.status, item.agent, me);
    return (
      <li class={`pc-status-line pc-status-${item.status}`}>
        <span>{line}</span> {time}
      </li>
    );
  }
  if (item.kind === 'note') {
    // Agents only (the relay never sends notes to visitors): marked in words, not just colour.
    return (
      <li class="pc-msg pc-msg-note">
        <div class="pc-msg-meta">
          <span class="pc-note-label">{strings.conversation.note}</span>{' '}
          <span class="pc-msg-author">
            {item.author.id && item.author.id === me?.id ? strings.conversation.author.you : (item.author.name ?? strings.conversation.author.agent)}
            <span class="pc-vh">:</span>
          </span>{' '}
          {time}
        </div>
        <p class="pc-msg-text">{item.text}</p>
      </li>
    );
  }
  const role = item.author.role;
  const byMe = role === 'agent' && !!me && item.author.id === me.id;
  const author =
    role === 'agent'
      ? byMe
        ? strings.conversation.author.you
        : (item.author.name ?? strings.conversation.author.agent)
      : role === 'bot'
        ? strings.conversation.author.bot
        : strings.conversation.author[role];
  return (
    <li class={`pc-msg pc-msg-${role}${byMe ? ' pc-msg-me' : ''}${item.pending ? ' pc-msg-pending' : ''}`}>
      <div class="pc-msg-meta">
        <span class="pc-msg-author">
          {author}
          <span class="pc-vh">:</span>
        </span>{' '}
        {time}
      </div>
      {/* Text only: the relay passes visitor text through untouched, so it may hold markup. */}
      <p class="pc-msg-text">{item.text}</p>
      {item.suggestions?.length ? (
        <ul class="pc-suggestions" aria-label={strings.conversation.suggestions}>
          {item.suggestions.map((a) => (
            <li key={a.id}>{a.title}</li>
          ))}
        </ul>
      ) : null}
      {item.pending && !item.failed ? <span class="pc-msg-state">{strings.conversation.pending}</span> : null}
      {item.failed ? (
        <span class="pc-msg-state pc-msg-failed">{strings.conversation.failed(item.failed.message)}</span>
      ) : null}
    </li>
  );
}

const CONTEXT_FIELDS = ['url', 'referrer', 'language', 'userAgent', 'screen', 'appVersion', 'sdkVersion'] as const;

/** The visitor's page/app context, every value shown as plain text (never as a link). */
function ContextPanel({ context, lang, summary }: { context: VisitorContext | undefined; lang: string | undefined; summary?: ConversationSummary }) {
  const user = summary?.user;
  const ids = useId();
  const fields = CONTEXT_FIELDS.flatMap((f) => {
    const value = f === 'language' ? (context?.language ?? lang) : context?.[f];
    return value ? [[f, value] as const] : [];
  });
  const attributes = Object.entries(context?.attributes ?? {});
  return (
    <aside class="pc-context" aria-labelledby={`${ids}-h`}>
      <h3 id={`${ids}-h`}>{strings.context.heading}</h3>
      <dl class="pc-identity">
        <div>
          <dt>{strings.context.identity}</dt>
          <dd class={summary?.verified ? 'pc-verified' : 'pc-unverified'}>
            {summary?.verified ? strings.context.verified : strings.context.unverified}
          </dd>
        </div>
        {user ? (
          <>
            <div>
              <dt>{strings.context.userId}</dt>
              <dd>{user.id}</dd>
            </div>
            {user.name ? (
              <div>
                <dt>{strings.context.name}</dt>
                <dd>{user.name}</dd>
              </div>
            ) : null}
            {user.email ? (
              <div>
                <dt>{strings.context.email}</dt>
                <dd>{user.email}</dd>
              </div>
            ) : null}
          </>
        ) : null}
        {summary?.topic ? (
          <div>
            <dt>{strings.context.topic}</dt>
            <dd>{summary.topic}</dd>
          </div>
        ) : null}
        {summary?.priority === 'urgent' ? (
          <div>
            <dt>{strings.context.priority}</dt>
            <dd class="pc-urgent">{strings.list.urgent}</dd>
          </div>
        ) : null}
      </dl>
      {fields.length === 0 && attributes.length === 0 ? (
        <p class="pc-empty">{strings.context.none}</p>
      ) : (
        <dl>
          {fields.map(([f, value]) => (
            <div key={f} class={`pc-context-${f}`}>
              <dt>{strings.context[f]}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      )}
      {attributes.length ? (
        <>
          <h4>{strings.context.attributes}</h4>
          <dl class="pc-attributes">
            {attributes.map(([k, value]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
        </>
      ) : null}
    </aside>
  );
}

function statusLine(status: ConversationStatus, agent: AgentRef | undefined, me: AgentRef | null): string {
  const s = strings.conversation.statusLine;
  if (status === 'active') {
    if (agent && me && agent.id === me.id) return s.activeYou;
    return agent ? s.active(agent.name) : strings.list.status.active;
  }
  return s[status];
}

function statusWord(status: ConversationStatus, agent: AgentRef | undefined, me: AgentRef | null): string {
  if (status === 'active' && agent && agent.id !== me?.id) return strings.list.takenBy(agent.name);
  return strings.list.status[status];
}

function findLastStatus(items: readonly TranscriptItem[]) {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i]!;
    if (item.kind === 'status') return item;
  }
  return undefined;
}

function maxSeq(items: readonly TranscriptItem[]): number {
  let max = 0;
  for (const item of items) if (item.seq !== undefined && item.seq > max) max = item.seq;
  return max;
}

/** The error to show for a failed take/close: the conflict in our words, else the relay's message. */
function actionError(err: unknown): string {
  const e = err && typeof err === 'object' ? (err as { code?: unknown; message?: unknown }) : {};
  if (e.code === 'conflict') return strings.conversation.conflict;
  const message = typeof e.message === 'string' && e.message.trim() ? e.message.trim().slice(0, 300) : String(err);
  return strings.conversation.actionFailed(message);
}
