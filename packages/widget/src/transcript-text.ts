import type { TranscriptItem } from '@parley/client';
import { format, type Strings } from './i18n.js';

type Status = Extract<TranscriptItem, { kind: 'status' }>;

/** Who wrote a message, as the log, the ticket view and the text file name them. */
export const who = (a: { role: string; name?: string | undefined }, s: Strings): string =>
  a.role === 'visitor' ? s.you : a.role === 'bot' ? s.bot : a.role === 'agent' ? a.name || s.agent : s.system;

/**
 * The line a status change shows, or `''` for none (a chat starting with the bot goes
 * without saying). Shared by the on-screen log and the downloaded transcript.
 */
export const statusLine = (item: Status, s: Strings): string =>
  // An unanswered chat the relay turned into a ticket: say both, the chat is over and nothing is lost.
  item.ticket
    ? `${s.closedStatus} · ${format(s.savedAsTicket, { number: item.ticket })}`
    : item.status === 'waiting'
      ? s.waitingStatus
      : item.status === 'active'
        ? format(s.joined, { name: item.agent?.name || s.agent })
        : item.status === 'closed'
          ? s.closedStatus
          : '';

/**
 * The conversation as plain text for "Download transcript": one line per message
 * (`[2026-11-23 14:05] Who: text` in the visitor's own time zone, continuation lines
 * indented) and per status change. Only what the relay accepted goes in: pending and
 * refused messages were never part of the conversation.
 *
 * @example
 * transcriptText(client.transcript.value, STRINGS.en, 'Support');
 */
export function transcriptText(items: readonly TranscriptItem[], s: Strings, title: string): string {
  let out = title + '\n\n';
  for (const item of items) {
    let line: string | false = '';
    if (item.kind === 'message') line = !item.pending && !item.failed && `${who(item.author, s)}: ${item.text.replace(/\r?\n/g, '\n    ')}`;
    else if (item.kind === 'status') line = (line = statusLine(item, s)) && '-- ' + line;
    if (line) out += `[${stamp(new Date(item.at))}] ${line}\n`;
  }
  return out;
}

/** `2026-11-23 14:05` (the local date, a space, the local time). */
export const stamp = (d: Date, time = true): string =>
  [d.getFullYear(), d.getMonth() + 1, d.getDate()].map(pad).join('-') + (time ? ` ${pad(d.getHours())}:${pad(d.getMinutes())}` : '');

const pad = (n: number) => String(n).padStart(2, '0');
