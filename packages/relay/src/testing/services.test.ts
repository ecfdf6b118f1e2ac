import { describe, expect, it } from 'vitest';
import { findService } from './services.js';

const down = async () => {
  throw new Error('ECONNREFUSED');
};
const up = async () => {};

describe('findService', () => {
  it('returns the URL from the environment variable when the server answers', async () => {
    const r = await findService({ suite: 'S', envVar: 'X_URL', defaultUrl: 'redis://d', probe: up, env: { X_URL: 'redis://from-env' } });
    expect(r).toEqual({ url: 'redis://from-env' });
  });

  it('falls back to the default URL', async () => {
    expect(await findService({ suite: 'S', envVar: 'X_URL', defaultUrl: 'redis://d', probe: up, env: {} })).toEqual({ url: 'redis://d' });
  });

  it('skips with a message naming the suite and the reason when not in CI', async () => {
    const warnings: string[] = [];
    const r = await findService({ suite: 'PostgresStore', envVar: 'PARLEY_TEST_PG', defaultUrl: 'postgres://u:secret@h/db', probe: down, env: {}, warn: (m) => warnings.push(m) });
    expect(r.skip).toMatch(/^PostgresStore: cannot reach .*ECONNREFUSED.*SKIPPED/);
    expect(warnings).toEqual([r.skip]);
    expect(r.skip).not.toContain('secret'); // passwords never reach the log
  });

  it('fails loudly instead of skipping when CI is set', async () => {
    await expect(
      findService({ suite: 'RedisBus', envVar: 'PARLEY_TEST_REDIS', defaultUrl: 'redis://d', probe: down, env: { CI: 'true' }, warn: () => {} }),
    ).rejects.toThrow(/RedisBus: cannot reach .*CI is set/);
  });

  it('treats a server that never answers as unreachable', async () => {
    const hang = () => new Promise<void>(() => {});
    const r = await findService({ suite: 'S', envVar: 'X', defaultUrl: 'redis://d', probe: hang, timeoutMs: 20, env: {}, warn: () => {} });
    expect(r.skip).toMatch(/no answer within 20 ms/);
  });
});
