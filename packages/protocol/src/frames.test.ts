import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { decodeServerFrame, decodeVisitorFrame } from './codec.js';
import {
  HelloFrameSchema,
  PrechatFrameSchema,
  LIMITS,
  ServerFrameSchema,
  VisitorFrameSchema,
  VisitorInputSchema,
  type AckFrame,
  type ErrorFrame,
  type EventFrame,
  type PositionFrame,
  type ServerFrame,
  type TypingEventFrame,
  type VisitorFrame,
  type WelcomeFrame,
} from './frames.js';

// The visitor client validates relay frames with the lean VisitorFrameSchema (structure only);
// the relay and agents use the full ServerFrameSchema. These tests keep the two in step.

const agent = { id: 'a1', name: 'Ana' };
const summary = {
  id: 'c1',
  status: 'active',
  createdAt: 1,
  updatedAt: 2,
  lastSeq: 7,
  lang: 'de',
  agent,
  preview: 'hello',
  topic: 'kyc',
  waitingSince: 1,
  email: 'v@ex.test',
  rating: { score: 4, comment: 'quick' },
  ticket: 'PX-7KQ2M9XD',
};
/** What only agents use in a summary: the visitor schema drops it. */
const agentOnly = {
  context: { url: 'https://shop.test/', attributes: { plan: 'gold' } },
  team: 'security',
  priority: 'urgent',
  user: { id: 'u1', email: 'u@ex.test', name: 'Uma' },
  verified: true,
};

/** A full frame of every type a visitor can receive, every optional field set. */
const visitorFrames: Record<string, unknown>[] = [
  { type: 'welcome', role: 'visitor', visitor: { id: 'v1', token: 't'.repeat(32) }, conversation: summary, serverTime: 5 },
  { type: 'welcome', role: 'visitor', serverTime: 5 },
  {
    type: 'event',
    conversationId: 'c1',
    event: {
      kind: 'message',
      seq: 3,
      at: 1,
      author: { role: 'bot', id: 'bot', name: 'Parley' },
      text: 'See this',
      clientId: 'm1',
      articleId: 'art1',
      suggestions: [{ id: 'art2', title: 'Deposits' }],
    },
  },
  { type: 'event', conversationId: 'c1', event: { kind: 'message', seq: 4, at: 1, author: { role: 'visitor' }, text: 'hi' } },
  {
    type: 'event',
    conversationId: 'c1',
    event: {
      kind: 'status',
      seq: 5,
      at: 2,
      status: 'waiting',
      agent,
      by: 'agent',
      transfer: { from: agent, toTeam: 'security', toAgent: { id: 'a2', name: 'Bo' } },
      ticket: 'PX-7KQ2M9XD',
    },
  },
  { type: 'event', conversationId: 'c1', event: { kind: 'status', seq: 6, at: 2, status: 'closed', by: 'system' } },
  { type: 'ack', id: 'm1', conversationId: 'c1', seq: 3 },
  { type: 'ack', id: 'm1' },
  { type: 'error', id: 'm1', code: 'closed', message: 'the conversation is closed' },
  { type: 'error', code: 'internal', message: 'oops' },
  { type: 'conversation', id: 's1', conversation: summary },
  { type: 'conversation', conversation: { id: 'c2', status: 'bot', createdAt: 1, updatedAt: 1, lastSeq: 0 } },
  { type: 'pong', id: 'p1', serverTime: 9 },
  { type: 'pong', serverTime: 9 },
  { type: 'position', conversationId: 'c1', position: 2, etaSeconds: 300 },
  { type: 'position', conversationId: 'c1', position: 1 },
  { type: 'typing', conversationId: 'c1', role: 'agent', name: 'Ana', typing: true },
  { type: 'typing', conversationId: 'c1', role: 'visitor', typing: false },
].map((f) => ({ v: 1, ...f }));

const parse = (schema: v.GenericSchema, data: unknown) => v.safeParse(schema, data);

/** Every path to a value inside `data`, objects and arrays included. */
function paths(data: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof data !== 'object' || data === null) return [];
  const out: (string | number)[][] = [];
  for (const [k, x] of Object.entries(data)) {
    const p = [...prefix, Array.isArray(data) ? Number(k) : k];
    out.push(p, ...paths(x, p));
  }
  return out;
}
function withValue(data: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(data) as Record<string | number, unknown>;
  let at = copy;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
  if (value === undefined) delete at[path.at(-1)!];
  else at[path.at(-1)!] = value;
  return copy;
}
function valueAt(data: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>((x, k) => (x as Record<string | number, unknown>)[k], data);
}
/** A value of another JSON type than `x`. */
function wrongType(x: unknown): unknown[] {
  const all = ['text', 7, true, null, { a: 1 }, ['x']];
  const kind = (y: unknown) => (y === null ? 'null' : Array.isArray(y) ? 'array' : typeof y);
  return all.filter((y) => kind(y) !== kind(x));
}

describe('VisitorFrameSchema agrees with ServerFrameSchema', () => {
  it('accepts every visitor frame the relay can send, with the same output', () => {
    for (const frame of visitorFrames) {
      const full = parse(ServerFrameSchema, frame);
      expect(full.success, JSON.stringify(frame)).toBe(true);
      const lean = parse(VisitorFrameSchema, frame);
      expect(lean.success, JSON.stringify(frame)).toBe(true);
      expect(lean.output).toEqual(full.output);
    }
  });

  it('drops the agent-only summary fields, keeping everything else', () => {
    for (const frame of [
      { v: 1, type: 'welcome', role: 'visitor', conversation: { ...summary, ...agentOnly }, serverTime: 5 },
      { v: 1, type: 'conversation', conversation: { ...summary, ...agentOnly } },
    ]) {
      expect(parse(ServerFrameSchema, frame).success).toBe(true);
      const lean = parse(VisitorFrameSchema, frame);
      expect(lean.success).toBe(true);
      expect((lean.output as { conversation: unknown }).conversation).toEqual(summary);
    }
  });

  it('refuses a field of the wrong type, a missing required field or an unknown literal wherever the full schema does', () => {
    let checked = 0;
    for (const frame of visitorFrames) {
      const read = parse(VisitorFrameSchema, frame).output;
      // Every field the visitor schema keeps (it reads); agent-only fields are dropped unread.
      for (const path of paths(read)) {
        const here = valueAt(frame, path);
        for (const bad of [...wrongType(here), undefined, typeof here === 'string' ? 'no-such-literal' : undefined]) {
          const mutated = withValue(frame, path, bad);
          const full = parse(ServerFrameSchema, mutated).success;
          const lean = parse(VisitorFrameSchema, mutated).success;
          // A structural fault fails both; what only the full schema refuses is a content rule.
          if (!full) {
            const s = v.safeParse(ServerFrameSchema, mutated);
            const structural = s.issues!.some((i) => i.kind === 'schema');
            if (structural) expect(lean, `${path.join('.')} = ${JSON.stringify(bad)}`).toBe(false);
          } else {
            expect(lean, `${path.join('.')} = ${JSON.stringify(bad)}`).toBe(true);
          }
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(300);
  });

  it('refuses what a visitor never receives: agent frames and notes', () => {
    const author = { role: 'agent', id: 'a1', name: 'Ana' };
    for (const frame of [
      { type: 'event', conversationId: 'c1', event: { kind: 'note', seq: 4, at: 1, author, text: 'VIP' } },
      { type: 'queue', conversations: [] },
      { type: 'roster', agents: [] },
    ]) {
      const raw = JSON.stringify({ v: 1, ...frame });
      expect(decodeServerFrame(raw).ok).toBe(true);
      expect(decodeVisitorFrame(raw)).toMatchObject({ ok: false, code: 'bad_frame' });
    }
  });

  it('gives a clear error naming the frame and the field', () => {
    const d = decodeVisitorFrame(JSON.stringify({ v: 1, type: 'position', conversationId: 'c1', position: 'first' }));
    expect(d).toMatchObject({ ok: false, code: 'bad_frame' });
    expect(!d.ok && d.message).toMatch(/'position' frame invalid at position/);
  });

  it('never throws on content the relay would not send (structure is all it checks)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(...visitorFrames), (junk, frame) => {
        for (const path of paths(frame)) {
          expect(() => decodeVisitorFrame(JSON.stringify(withValue(frame, path, junk)))).not.toThrow();
        }
      }),
      { numRuns: 50 },
    );
  });

  it('types: every visitor frame is a server frame', () => {
    expectTypeOf<VisitorFrame>().toExtend<ServerFrame>();
    expectTypeOf<Extract<VisitorFrame, { type: 'welcome' }>>().toExtend<WelcomeFrame>();
    expectTypeOf<Extract<VisitorFrame, { type: 'event' }>>().toExtend<EventFrame>();
    expectTypeOf<Extract<VisitorFrame, { type: 'ack' }>>().toExtend<AckFrame>();
    expectTypeOf<Extract<VisitorFrame, { type: 'error' }>>().toExtend<ErrorFrame>();
    expectTypeOf<Extract<VisitorFrame, { type: 'position' }>>().toExtend<PositionFrame>();
    expectTypeOf<Extract<VisitorFrame, { type: 'typing' }>>().toExtend<TypingEventFrame>();
    // And no visitor-visible field is missing from the lean welcome/event: the reverse holds too
    // for what the visitor reads.
    expectTypeOf<Extract<ServerFrame, { type: 'position' }>>().toExtend<Extract<VisitorFrame, { type: 'position' }>>();
    expectTypeOf<Extract<ServerFrame, { type: 'ack' }>>().toExtend<Extract<VisitorFrame, { type: 'ack' }>>();
    expectTypeOf<Extract<ServerFrame, { type: 'error' }>>().toExtend<Extract<VisitorFrame, { type: 'error' }>>();
    expectTypeOf<Extract<ServerFrame, { type: 'typing' }>>().toExtend<Extract<VisitorFrame, { type: 'typing' }>>();
    expectTypeOf<Extract<ServerFrame, { type: 'pong' }>>().toExtend<Extract<VisitorFrame, { type: 'pong' }>>();
  });
});

describe('VisitorInputSchema agrees with HelloFrameSchema and PrechatFrameSchema', () => {
  const hello = (input: Record<string, unknown>) => ({ v: 1, type: 'hello', role: 'visitor', ...input });
  const agree = (input: Record<string, unknown>) => {
    // `email` is the prechat's (a hello has none); the rest are the hello's.
    const { email, ...rest } = input;
    const full =
      parse(HelloFrameSchema, hello(rest)).success &&
      (!('email' in input) || parse(PrechatFrameSchema, { v: 1, type: 'prechat', conversationId: 'c1', email }).success);
    const lean = parse(VisitorInputSchema, input).success;
    expect(lean, JSON.stringify(input).slice(0, 300)).toBe(full);
    return full;
  };
  const len = (n: number) => fc.string({ minLength: Math.max(0, n - 2), maxLength: n + 2 });
  const around = (n: number) => fc.oneof(fc.string({ maxLength: 8 }), len(n), fc.constant('x'.repeat(n)), fc.constant('x'.repeat(n + 1)));
  const anything = fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(['x']), fc.constant({}));
  const maybe = <T,>(a: fc.Arbitrary<T>) => fc.option(fc.oneof({ weight: 5, arbitrary: a }, { weight: 1, arbitrary: anything }), { nil: undefined });

  it('on edge cases', () => {
    const accepted = [
      { lang: 'en' },
      { lang: 'zh-Hant' },
      { lang: 'de-CH-1901' },
      { lang: 'en-abcdefgh-abcd' },
      { topic: 'kyc_2-b' },
      { topic: 'x'.repeat(64) },
      { email: 'a@b.co' },
      { lang: 'de', topic: 'kyc', email: 'a@b.co', context: { url: 'https://x.test/' }, user: { id: 'u1' } },
      { context: { url: 'x'.repeat(LIMITS.maxContextChars), attributes: { plan: 'gold' } } },
      { user: { id: 'u1', email: 'a@b.co', name: 'Ann', hash: 'ab'.repeat(32) } },
      { context: { attributes: Object.fromEntries(Array.from({ length: LIMITS.maxAttributes }, (_, i) => [`k${i}`, 'v'])) } },
      {},
    ];
    const refused = [
      { lang: 'english please' },
      { lang: 'en-abcdefgh-abcde' },
      { topic: '' },
      { topic: 'bad topic!' },
      { topic: 'x'.repeat(65) },
      { topic: 5 },
      { email: 'x' },
      { email: `${'a'.repeat(250)}@b.co` },
      { email: null },
      { lang: 'e' },
      { lang: 'en-' + 'a'.repeat(14) },
      { lang: 7 },
      { context: { url: 'x'.repeat(LIMITS.maxContextChars + 1) } },
      { context: { attributes: { ['k'.repeat(65)]: 'v' } } },
      { context: { attributes: { k: 'x'.repeat(LIMITS.maxContextChars + 1) } } },
      { context: { attributes: { k: 5 } } },
      { context: { attributes: Object.fromEntries(Array.from({ length: LIMITS.maxAttributes + 1 }, (_, i) => [`k${i}`, 'v'])) } },
      { context: { attributes: 'plan' } },
      { context: 'ctx' },
      { user: { id: '' } },
      { user: { id: 'x'.repeat(201) } },
      { user: { id: 'u1', email: 'a@b' } },
      { user: { id: 'u1', email: '"x"<a@b.co>' } },
      { user: { id: 'u1', name: 'x'.repeat(201) } },
      { user: { id: 'u1', hash: 'x'.repeat(129) } },
      { user: { email: 'a@b.co' } },
      { user: null },
    ];
    for (const input of accepted) expect(agree(input)).toBe(true);
    for (const input of refused) expect(agree(input)).toBe(false);
  });

  it('on generated input', () => {
    const lang = fc.oneof(fc.string({ maxLength: 20 }), fc.stringMatching(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/));
    const ctx = fc.record(
      {
        url: maybe(around(LIMITS.maxContextChars)),
        referrer: maybe(fc.string()),
        userAgent: maybe(fc.string()),
        language: maybe(fc.string()),
        screen: maybe(fc.string()),
        sdkVersion: maybe(fc.string()),
        appVersion: maybe(fc.string()),
        attributes: maybe(fc.dictionary(around(64), around(LIMITS.maxContextChars), { maxKeys: LIMITS.maxAttributes + 2 })),
      },
      { requiredKeys: [] },
    );
    const user = fc.record(
      {
        id: maybe(around(200)),
        email: maybe(fc.oneof(fc.emailAddress(), fc.string({ maxLength: 12 }), fc.constant(`${'a'.repeat(250)}@b.co`))),
        name: maybe(around(200)),
        hash: maybe(around(128)),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.record(
          {
            lang: maybe(lang),
            topic: maybe(fc.oneof(fc.string({ maxLength: 70 }), fc.stringMatching(/^[A-Za-z0-9_-]{60,66}$/))),
            email: maybe(fc.oneof(fc.emailAddress(), fc.string({ maxLength: 12 }))),
            context: maybe(ctx),
            user: maybe(user),
          },
          { requiredKeys: [] },
        ),
        (input) => {
          agree(input as Record<string, unknown>);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
