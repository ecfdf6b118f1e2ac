import { describe, expect, it } from 'vitest';
import { SessionRegistry } from './sessions.js';

const visitor = (id: string) => ({ role: 'visitor' as const, visitorId: id });
const agent = (id: string) => ({ role: 'agent' as const, agent: { id, name: id }, sessionExpiresAt: Infinity });

describe('SessionRegistry', () => {
  it('keeps an id online while any of its sessions (tabs) is open, and reports first-in and last-out only', () => {
    const sessions = new SessionRegistry();
    const changes: string[] = [];
    sessions.onChange((kind, id, online) => changes.push(`${kind}:${id}:${online ? 'on' : 'off'}`));
    const tab1 = sessions.add(agent('a1'), () => {});
    const tab2 = sessions.add(agent('a1'), () => {});
    sessions.add(visitor('v1'), () => {});
    expect(sessions.ids('agent')).toEqual(['a1']);
    expect(sessions.count('agent')).toBe(2);
    tab1();
    tab1(); // twice is harmless
    expect(sessions.ids('agent')).toEqual(['a1']);
    tab2();
    expect(sessions.ids('agent')).toEqual([]);
    expect(sessions.ids('visitor')).toEqual(['v1']);
    expect(changes).toEqual(['agent:a1:on', 'visitor:v1:on', 'agent:a1:off']);
  });

  it('closes every session of one visitor and no one else’s', () => {
    const sessions = new SessionRegistry();
    const closed: string[] = [];
    sessions.add(visitor('v1'), (reason) => closed.push(`v1#1 ${reason}`));
    sessions.add(visitor('v1'), (reason) => closed.push(`v1#2 ${reason}`));
    sessions.add(visitor('v2'), () => closed.push('v2'));
    expect(sessions.closeVisitor('v1', 'erased')).toBe(2);
    expect(closed).toEqual(['v1#1 erased', 'v1#2 erased']);
    expect(sessions.closeVisitor('nobody', 'erased')).toBe(0);
  });

  it('one listener’s throw never starves the others', () => {
    const errors: unknown[] = [];
    const sessions = new SessionRegistry({ onListenerError: (e) => errors.push(e) });
    const seen: string[] = [];
    sessions.onChange(() => {
      throw new Error('boom');
    });
    sessions.onChange((_, id) => seen.push(id));
    sessions.add(visitor('v1'), () => {});
    expect(seen).toEqual(['v1']);
    expect(errors).toHaveLength(1);
  });

  it('tracks a session object through join and leave, from one tab to several and back', () => {
    const sessions = new SessionRegistry();
    const changes: string[] = [];
    sessions.onChange((kind, id, online) => changes.push(`${id}:${online ? 'on' : 'off'}`));
    const closed: string[] = [];
    const tab = (name: string) => ({ closeSession: (reason: string) => closed.push(`${name} ${reason}`) });
    const [t1, t2, t3] = [tab('t1'), tab('t2'), tab('t3')];
    sessions.join(visitor('v1'), t1);
    sessions.join(visitor('v1'), t1); // the same session twice counts once
    expect(sessions.count('visitor')).toBe(1);
    sessions.join(visitor('v1'), t2);
    sessions.join(visitor('v1'), t3);
    expect(sessions.count('visitor')).toBe(3);
    sessions.leave(visitor('v1'), t2);
    sessions.leave(visitor('v1'), t3);
    sessions.leave(visitor('v1'), t3); // twice is harmless
    expect(sessions.count('visitor')).toBe(1);
    expect(sessions.closeVisitor('v1', 'erased')).toBe(1);
    expect(closed).toEqual(['t1 erased']);
    sessions.leave(visitor('v2'), t1); // never joined: nothing happens
    sessions.leave(visitor('v1'), t1);
    expect(sessions.ids('visitor')).toEqual([]);
    expect(changes).toEqual(['v1:on', 'v1:off']);
  });
});
