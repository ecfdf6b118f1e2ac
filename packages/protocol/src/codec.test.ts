import { describe, expect, it } from 'vitest';
import { decodeClientFrame, decodeServerFrame, encode } from './codec.js';
import { ErrorCode } from './codes.js';
import { LIMITS } from './frames.js';

describe('decodeClientFrame', () => {
  it('accepts a valid send frame', () => {
    const d = decodeClientFrame(encode({ type: 'send', id: 'abc_123', conversationId: 'c1', text: 'hello' }));
    expect(d).toEqual({ ok: true, frame: { v: 1, type: 'send', id: 'abc_123', conversationId: 'c1', text: 'hello' } });
  });

  it('rejects text that is not JSON with bad_json', () => {
    expect(decodeClientFrame('{nope')).toMatchObject({ ok: false, code: ErrorCode.BadJson });
  });

  it('rejects non-object JSON and non-string input with bad_frame', () => {
    expect(decodeClientFrame('[1,2]')).toMatchObject({ ok: false, code: ErrorCode.BadFrame });
    expect(decodeClientFrame('null')).toMatchObject({ ok: false, code: ErrorCode.BadFrame });
    expect(decodeClientFrame(42)).toMatchObject({ ok: false, code: ErrorCode.BadFrame });
  });

  it('rejects an unknown type and names the frame id', () => {
    const d = decodeClientFrame('{"v":1,"type":"explode","id":"x1"}');
    expect(d).toMatchObject({ ok: false, code: ErrorCode.BadFrame, id: 'x1' });
  });

  it('rejects another protocol version', () => {
    const d = decodeClientFrame('{"v":2,"type":"ping"}');
    expect(d).toMatchObject({ ok: false, code: ErrorCode.UnsupportedVersion });
  });

  it('bounds the frame size before parsing', () => {
    const d = decodeClientFrame('"' + 'a'.repeat(LIMITS.maxFrameChars) + '"');
    expect(d).toMatchObject({ ok: false, code: ErrorCode.TooLarge });
  });

  it('rejects message text over the limit with too_large and blank text with bad_frame', () => {
    const long = decodeClientFrame(encode({ type: 'send', id: 'm1', conversationId: 'c1', text: 'x'.repeat(LIMITS.maxTextChars + 1) }));
    expect(long).toMatchObject({ ok: false, code: ErrorCode.TooLarge, id: 'm1' });
    const blank = decodeClientFrame(encode({ type: 'send', id: 'm2', conversationId: 'c1', text: '   ' }));
    expect(blank).toMatchObject({ ok: false, code: ErrorCode.BadFrame, id: 'm2' });
  });

  it('rejects ids with characters outside the id alphabet', () => {
    const d = decodeClientFrame('{"v":1,"type":"send","id":"../../etc","conversationId":"c","text":"x"}');
    expect(d.ok).toBe(false);
  });

  it('never throws, whatever the input', () => {
    const inputs = ['', '{', '{"v":1}', '{"v":1,"type":null}', '{"__proto__":{"x":1},"v":1,"type":"ping"}', '\u0000', '1e999', '{"v":{"toString":null},"type":"ping"}'];
    for (const input of inputs) expect(() => decodeClientFrame(input)).not.toThrow();
  });
});

describe('decodeServerFrame', () => {
  it('accepts an event frame with a bot message', () => {
    const raw = encode({
      type: 'event',
      conversationId: 'c1',
      event: { kind: 'message', seq: 3, at: 1, author: { role: 'bot', name: 'Parley' }, text: 'hi', articleId: 'a1' },
    });
    expect(decodeServerFrame(raw).ok).toBe(true);
  });

  it('rejects an event with a negative or fractional seq', () => {
    for (const seq of [-1, 1.5]) {
      const raw = encode({ type: 'event', conversationId: 'c1', event: { kind: 'status', seq, at: 1, status: 'waiting', by: 'visitor' } });
      expect(decodeServerFrame(raw).ok).toBe(false);
    }
  });
});

describe('desk frames', () => {
  const ok = (frame: Record<string, unknown>) => decodeClientFrame(JSON.stringify({ v: 1, ...frame })).ok;

  it('accepts the desk client frames in their bounds, and refuses them outside', () => {
    expect(ok({ type: 'rate', conversationId: 'c1', score: 5, comment: 'great' })).toBe(true);
    expect(ok({ type: 'rate', conversationId: 'c1', score: 6 })).toBe(false);
    expect(ok({ type: 'rate', conversationId: 'c1', score: 4.5 })).toBe(false);
    expect(ok({ type: 'rate', conversationId: 'c1', score: 3, comment: 'x'.repeat(LIMITS.maxCommentChars + 1) })).toBe(false);
    expect(ok({ type: 'prechat', conversationId: 'c1', topic: 'kyc', lang: 'de', email: 'a@b.co' })).toBe(true);
    expect(ok({ type: 'prechat', conversationId: 'c1', email: 'a@b' })).toBe(false);
    expect(ok({ type: 'prechat', conversationId: 'c1', email: '"x"<a@b.co>' })).toBe(false);
    expect(ok({ type: 'typing', conversationId: 'c1', typing: true })).toBe(true);
    expect(ok({ type: 'note', id: 'n1', conversationId: 'c1', text: '  ' })).toBe(false);
    expect(ok({ type: 'transfer', conversationId: 'c1', toTeam: 'security', note: 'takeover' })).toBe(true);
    expect(ok({ type: 'agentStatus', status: 'busy' })).toBe(false);
    expect(ok({ type: 'emailTranscript', conversationId: 'c1', email: 'v@ex.test' })).toBe(true);
    expect(ok({ type: 'hello', role: 'visitor', topic: 'kyc', user: { id: 'u1', hash: 'ab'.repeat(32) } })).toBe(true);
  });

  it('accepts a note event, a position, a typing and a roster frame from the relay', () => {
    const author = { role: 'agent', id: 'a1', name: 'Ana' };
    for (const frame of [
      { type: 'event', conversationId: 'c1', event: { kind: 'note', seq: 4, at: 1, author, text: 'VIP' } },
      { type: 'position', conversationId: 'c1', position: 2, etaSeconds: 300 },
      { type: 'typing', conversationId: 'c1', role: 'agent', name: 'Ana', typing: true },
      { type: 'roster', agents: [{ id: 'a1', name: 'Ana', status: 'online', languages: ['en'], teams: [], capacity: 3, load: 1 }] },
    ]) {
      expect(decodeServerFrame(JSON.stringify({ v: 1, ...frame })).ok).toBe(true);
    }
    expect(decodeServerFrame(JSON.stringify({ v: 1, type: 'position', conversationId: 'c1', position: 0 })).ok).toBe(false);
  });
});
