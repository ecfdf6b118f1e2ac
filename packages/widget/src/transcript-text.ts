import type { TranscriptItem } from '@parley/client';
import { format, type Strings } from './i18n.js';

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-11-23 14:05` in the visitor's own time zone: the file is for them. */
function stamp(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * The line a status change shows, or `null` for none (a chat starting with the bot goes
 * without saying). Shared by the on-screen log and the downloaded transcript.
 */
export function statusLine(item: Extract<TranscriptItem, { kind: 'status' }>, s: Strings): string | null {
  // An unanswered chat the relay turned into a ticket: say both, the chat is over and nothing is lost.
  if (item.ticket) return `${s.closedStatus} · ${format(s.savedAsTicket, { number: item.ticket })}`;
  switch (item.status) {
    case 'bot':
      return null;
    case 'waiting':
      return s.waitingStatus;
    case 'active':
      return format(s.joined, { name: item.agent?.name || s.agent });
    case 'closed':
      return s.closedStatus;
  }
}

/**
 * The conversation as plain text for "Download transcript": one line per message
 * (`[time] Who: text`, continuation lines indented) and per status change. Only what the
 * relay accepted goes in: pending and refused messages were never part of the conversation.
 *
 * @example
 * transcriptText(client.transcript.value, STRINGS.en, 'Support');
 */
export function transcriptText(items: readonly TranscriptItem[], s: Strings, title: string): string {
  const lines = [title, ''];
  for (const item of items) {
    if (item.kind === 'message') {
      if (item.pending || item.failed) continue;
      const r = item.author.role;
      const who = r === 'visitor' ? s.you : r === 'bot' ? s.bot : r === 'agent' ? item.author.name || s.agent : s.system;
      lines.push(`[${stamp(item.at)}] ${who}: ${item.text.replace(/\r?\n/g, '\n    ')}`);
    } else if (item.kind === 'status') {
      const line = statusLine(item, s);
      if (line) lines.push(`[${stamp(item.at)}] -- ${line}`);
    }
  }
  return lines.join('\n') + '\n';
}
