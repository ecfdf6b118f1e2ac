import type { ConversationEvent } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bus, BusMessage } from './types.js';

const event = (seq: number): BusMessage => {
  const e: ConversationEvent = { kind: 'message', seq, at: seq, author: { role: 'visitor' }, text: `m${seq}` };
  return { kind: 'event', conversationId: 'c1', event: e };
};

/** Wait until `check` passes: a bus across processes delivers asynchronously. */
async function eventually(check: () => void, timeoutMs = 2000): Promise<void> {
  const start = Date.now();
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() - start > timeoutMs) throw error;
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

/**
 * The behaviour every {@link Bus} must have, written once.
 *
 * @example
 * describeBus('InProcessBus', () => new InProcessBus());
 */
export function describeBus(name: string, makeBus: () => Bus | Promise<Bus>): void {
  describe(`Bus conformance: ${name}`, () => {
    let bus: Bus;
    beforeEach(async () => {
      bus = await makeBus();
    });
    afterEach(async () => {
      await bus.close();
    });

    it('delivers a message to every subscriber of its topic and no other', async () => {
      const a: BusMessage[] = [];
      const b: BusMessage[] = [];
      const other: BusMessage[] = [];
      bus.subscribe('conv:c1', (m) => a.push(m));
      bus.subscribe('conv:c1', (m) => b.push(m));
      bus.subscribe('conv:c2', (m) => other.push(m));
      await bus.publish('conv:c1', event(1));
      await eventually(() => {
        expect(a).toEqual([event(1)]);
        expect(b).toEqual([event(1)]);
      });
      expect(other).toEqual([]);
    });

    it('keeps the order of messages on a topic', async () => {
      const got: number[] = [];
      bus.subscribe('conv:c1', (m) => m.kind === 'event' && got.push(m.event.seq));
      for (let seq = 1; seq <= 20; seq++) await bus.publish('conv:c1', event(seq));
      await eventually(() => expect(got).toEqual(Array.from({ length: 20 }, (_, i) => i + 1)));
    });

    it('stops delivering after unsubscribe, and unsubscribing twice is harmless', async () => {
      const got: BusMessage[] = [];
      const off = bus.subscribe('agents', (m) => got.push(m));
      off();
      off();
      await bus.publish('agents', event(1));
      await new Promise((r) => setTimeout(r, 20));
      expect(got).toEqual([]);
    });

    it('regression - a throwing subscriber never stops the others', async () => {
      const got: BusMessage[] = [];
      bus.subscribe('conv:c1', () => {
        throw new Error('boom');
      });
      bus.subscribe('conv:c1', (m) => got.push(m));
      await expect(bus.publish('conv:c1', event(1))).resolves.toBeUndefined();
      await eventually(() => expect(got).toEqual([event(1)]));
    });

    it('publishing to a topic nobody listens to is fine', async () => {
      await expect(bus.publish('conv:nobody', event(1))).resolves.toBeUndefined();
    });
  });
}
