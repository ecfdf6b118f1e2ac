import type { AgentRef, ConversationSummary } from '@parley/protocol';
import { strings } from './strings.js';

/** The list panel's tabs, in display order. */
export const TABS = ['waiting', 'mine', 'all'] as const;
/** One of {@link TABS}. */
export type Tab = (typeof TABS)[number];

/**
 * The conversations one tab shows, in its order:
 * - `waiting`: status waiting, urgent first, then the one waiting longest;
 * - `mine`: active and assigned to me, most recently updated first;
 * - `all`: waiting (oldest first) then active (most recent first).
 *
 * @example
 * filterTab(client.queue.value, 'waiting', me); // [{ id: 'c1', status: 'waiting', ... }]
 */
export function filterTab(
  queue: readonly ConversationSummary[],
  tab: Tab,
  me: AgentRef | null,
): ConversationSummary[] {
  // The relay's queue order: urgent first, then whoever has waited longest.
  const rank = (c: ConversationSummary) => (c.priority === 'urgent' ? 0 : 1);
  const since = (c: ConversationSummary) => c.waitingSince ?? c.createdAt;
  const waiting = queue.filter((c) => c.status === 'waiting').sort((a, b) => rank(a) - rank(b) || since(a) - since(b));
  const active = queue.filter((c) => c.status === 'active').sort((a, b) => b.updatedAt - a.updatedAt);
  if (tab === 'waiting') return waiting;
  if (tab === 'mine') return me ? active.filter((c) => c.agent?.id === me.id) : [];
  return [...waiting, ...active];
}

/**
 * A short age ("just now", "4 min", "2 h", "3 d") for a list row.
 *
 * @example
 * formatAge(Date.now() - 5 * 60_000, Date.now()); // "5 min"
 */
export function formatAge(since: number, now: number): string {
  const minutes = Math.floor(Math.max(0, now - since) / 60_000);
  if (minutes < 1) return strings.age.now;
  if (minutes < 60) return strings.age.minutes(minutes);
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return strings.age.hours(hours);
  return strings.age.days(Math.floor(hours / 24));
}

/**
 * A clock time ("14:05") for a transcript line, in the agent's locale.
 *
 * @example
 * formatTime(Date.UTC(2026, 0, 1, 14, 5)); // "14:05" (in UTC, en-GB)
 */
export function formatTime(at: number): string {
  try {
    return new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  } catch {
    return new Date(at).toISOString().slice(11, 16);
  }
}
