import type { ConversationSummary } from '@parley/protocol';

/**
 * The queue order: urgent before normal, then the oldest `waitingSince`, then id (stable).
 *
 * @example
 * waiting.sort(queueOrder);
 */
export function queueOrder(a: Pick<ConversationSummary, 'priority' | 'waitingSince' | 'updatedAt' | 'id'>, b: typeof a): number {
  const pa = a.priority === 'urgent' ? 0 : 1;
  const pb = b.priority === 'urgent' ? 0 : 1;
  if (pa !== pb) return pa - pb;
  const wa = a.waitingSince ?? a.updatedAt;
  const wb = b.waitingSince ?? b.updatedAt;
  if (wa !== wb) return wa - wb;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
