import { describe, expect, it } from 'vitest';
import { LoginThrottle, hashPassword, hashToken, isPasswordHash, newId, newToken, verifyPassword } from './index.js';

// Cheap parameters keep the suite fast; the format and the checks are the same.
const fast = { N: 1024, r: 8, p: 1 };

describe('passwords', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse', fast);
    expect(stored).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPassword('correct horse', stored)).toBe(true);
    expect(await verifyPassword('correct horsf', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('salts every hash, so the same password never hashes the same twice', async () => {
    expect(await hashPassword('pw', fast)).not.toBe(await hashPassword('pw', fast));
  });

  it('fails closed on malformed or hostile hash strings', async () => {
    const good = await hashPassword('pw', fast);
    const [, , r, p, salt, key] = good.split('$');
    const bad = [
      '',
      'pw',
      'bcrypt$10$abc',
      `scrypt$1000$${r}$${p}$${salt}$${key}`, // N not a power of two
      `scrypt$${2 ** 24}$${r}$${p}$${salt}$${key}`, // N too large to be allowed
      `scrypt$1024$0$${p}$${salt}$${key}`,
      `scrypt$1024$${r}$${p}$${salt}$`,
      `scrypt$1024$${r}$${p}$!!!$${key}`,
      `scrypt$1024$${r}$${p}$${salt}$${key}$extra`,
      `scrypt$-1024$${r}$${p}$${salt}$${key}`,
    ];
    for (const stored of bad) {
      expect(isPasswordHash(stored)).toBe(false);
      expect(await verifyPassword('pw', stored)).toBe(false);
    }
    expect(isPasswordHash(good)).toBe(true);
  });
});

describe('tokens', () => {
  it('makes 43-character base64url tokens that differ every time', () => {
    const a = newToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newToken()).not.toBe(a);
  });

  it('stores tokens as sha256 hex, never as themselves', () => {
    const token = newToken();
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token)).toBe(hashToken(token));
    expect(hashToken(token)).not.toContain(token);
  });

  it('makes ids in the protocol id alphabet', () => {
    expect(newId()).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  });
});

describe('LoginThrottle', () => {
  it('blocks a key after too many failures until the window passes', () => {
    let now = 0;
    const t = new LoginThrottle({ maxFailures: 3, windowMs: 1000, now: () => now });
    for (let i = 0; i < 3; i++) {
      expect(t.isBlocked('demo|1.2.3.4')).toBe(false);
      t.fail('demo|1.2.3.4');
    }
    expect(t.isBlocked('demo|1.2.3.4')).toBe(true);
    expect(t.isBlocked('demo|5.6.7.8')).toBe(false);
    now = 1000;
    expect(t.isBlocked('demo|1.2.3.4')).toBe(false);
  });

  it('clears a key on success and keeps at most maxKeys keys', () => {
    const t = new LoginThrottle({ maxFailures: 1, maxKeys: 2 });
    t.fail('a');
    t.succeed('a');
    expect(t.isBlocked('a')).toBe(false);
    t.fail('a');
    t.fail('b');
    t.fail('c'); // evicts 'a'
    expect(t.isBlocked('a')).toBe(false);
    expect(t.isBlocked('c')).toBe(true);
  });
});
