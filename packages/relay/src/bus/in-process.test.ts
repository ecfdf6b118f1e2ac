import { expect, it } from 'vitest';
import { describeBus } from './bus.suite.js';
import { InProcessBus } from './in-process.js';

describeBus('InProcessBus', () => new InProcessBus());

it('reports a subscriber that threw and forgets empty topics', async () => {
  const errors: unknown[] = [];
  const bus = new InProcessBus({ onHandlerError: (e) => errors.push(e) });
  const off = bus.subscribe('t', () => {
    throw new Error('boom');
  });
  await bus.publish('t', { kind: 'event', conversationId: 'c', event: { kind: 'status', seq: 1, at: 1, status: 'waiting', by: 'visitor' } });
  expect(errors).toHaveLength(1);
  expect(bus.topicCount).toBe(1);
  off();
  expect(bus.topicCount).toBe(0);
});
