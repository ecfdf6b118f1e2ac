import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type { TransferTarget } from '@parley/client';
import { LIMITS, type AgentRef, type RosterAgent } from '@parley/protocol';
import { strings } from './strings.js';

/** Props of {@link TransferDialog}. */
export interface TransferDialogProps {
  roster: readonly RosterAgent[];
  teams: readonly string[];
  me: AgentRef | null;
  /** Resolves when the relay accepted the transfer; a rejection is shown in the dialog. */
  onTransfer(target: TransferTarget): Promise<void>;
  onClose(): void;
}

const FOCUSABLE = 'input:not([disabled]),textarea:not([disabled]),button:not([disabled]),[tabindex]:not([tabindex="-1"])';

/**
 * The transfer dialog: pick another agent (the roster, with status and load) or a team,
 * add a private note, confirm. A modal dialog: focus moves in, Tab and Shift+Tab stay
 * inside, Escape cancels, and focus returns to whatever opened it.
 *
 * @example
 * {open && <TransferDialog roster={client.roster.value} teams={['security']} me={me} onTransfer={(t) => client.transfer(id, t)} onClose={() => setOpen(false)} />}
 */
export function TransferDialog({ roster, teams, me, onTransfer, onClose }: TransferDialogProps) {
  const ids = useId();
  const ref = useRef<HTMLDivElement>(null);
  const [choice, setChoice] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const others = roster.filter((a) => a.id !== me?.id);

  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    ref.current?.querySelector<HTMLElement>(FOCUSABLE)?.focus();
    return () => opener?.focus?.();
  }, []);

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    const [kind, value] = [choice.slice(0, choice.indexOf(':')), choice.slice(choice.indexOf(':') + 1)];
    if (!value) {
      setError(strings.transfer.pick);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const text = note.trim();
      await onTransfer({ ...(kind === 'agent' ? { toAgentId: value } : { toTeam: value }), ...(text ? { note: text } : {}) });
      onClose();
    } catch (err) {
      const message = (err as { message?: unknown } | null)?.message;
      setError(strings.conversation.actionFailed(typeof message === 'string' ? message : String(err)));
      setBusy(false);
    }
  }

  return (
    <div class="pc-backdrop">
      <div
        ref={ref}
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${ids}-t`}
        class="pc-dialog"
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            onClose();
          } else if (e.key === 'Tab') {
            // Keep focus inside the dialog while it is open.
            const all = [...(ref.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? [])];
            const first = all[0];
            const last = all[all.length - 1];
            if (e.shiftKey && document.activeElement === first) {
              e.preventDefault();
              last?.focus();
            } else if (!e.shiftKey && document.activeElement === last) {
              e.preventDefault();
              first?.focus();
            }
          }
        }}
      >
        <h2 id={`${ids}-t`}>{strings.transfer.title}</h2>
        <form onSubmit={submit}>
          <fieldset>
            <legend>{strings.transfer.agents}</legend>
            {others.length === 0 ? <p class="pc-empty">{strings.transfer.nobody}</p> : null}
            {others.map((a) => (
              <label key={a.id} class="pc-choice">
                <input type="radio" name={`${ids}-to`} value={`agent:${a.id}`} checked={choice === `agent:${a.id}`} onChange={() => setChoice(`agent:${a.id}`)} />{' '}
                {strings.transfer.agentLine(a.name, strings.header.agentStatus[a.status], a.load, a.capacity)}
              </label>
            ))}
          </fieldset>
          {teams.length ? (
            <fieldset>
              <legend>{strings.transfer.teams}</legend>
              {teams.map((t) => (
                <label key={t} class="pc-choice">
                  <input type="radio" name={`${ids}-to`} value={`team:${t}`} checked={choice === `team:${t}`} onChange={() => setChoice(`team:${t}`)} />{' '}
                  {strings.transfer.team(t)}
                </label>
              ))}
            </fieldset>
          ) : null}
          <label for={`${ids}-note`}>{strings.transfer.note}</label>
          <textarea id={`${ids}-note`} rows={3} maxLength={LIMITS.maxTextChars} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          {error ? (
            <p class="pc-error" role="alert">
              {error}
            </p>
          ) : null}
          <div class="pc-dialog-actions">
            <button type="submit" class="pc-primary" aria-disabled={busy ? true : undefined}>
              {strings.transfer.submit}
            </button>
            <button type="button" onClick={onClose}>
              {strings.transfer.cancel}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
