import { LIMITS } from '@parley/protocol';
import { VisitorContextSchema } from '@parley/protocol';
import * as v from 'valibot';
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { VERSION, buildContext } from './context.js';

describe('buildContext', () => {
  it('fills the page facts, versions and attributes', () => {
    const ctx = buildContext(
      { href: 'https://ex.com/deposit?coin=BTC', referrer: 'https://google.com/', userAgent: 'UA', language: 'en-GB', width: 1280, height: 720 },
      { appVersion: '2.3.0', attributes: { plan: 'pro' } },
    );
    expect(ctx).toEqual({
      sdkVersion: VERSION,
      url: 'https://ex.com/deposit?coin=BTC',
      referrer: 'https://google.com/',
      userAgent: 'UA',
      language: 'en-GB',
      screen: '1280x720',
      appVersion: '2.3.0',
      attributes: { plan: 'pro' },
    });
  });

  it('drops the URL fragment, where OAuth implicit flows put access tokens', () => {
    expect(buildContext({ href: 'https://ex.com/cb#access_token=secret' }, {}).url).toBe('https://ex.com/cb');
  });

  it('always produces a context the relay accepts, whatever the page passes', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const attributes: Record<string, unknown> = { ['k'.repeat(65)]: 'x', big: 'y'.repeat(5000), n: 42, obj: { a: 1 }, gone: null };
    for (let i = 0; i < 60; i++) attributes[`a${i}`] = String(i);
    const ctx = buildContext({ href: 'https://ex.com/' + 'p'.repeat(5000), userAgent: 'u'.repeat(3000) }, { attributes });
    expect(v.safeParse(VisitorContextSchema, ctx).success).toBe(true);
    expect(ctx.url).toHaveLength(LIMITS.maxContextChars);
    expect(ctx.attributes?.n).toBe('42');
    expect(ctx.attributes?.obj).toBe('{"a":1}');
    expect(Object.keys(ctx.attributes!)).toHaveLength(LIMITS.maxAttributes);
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });

  it('reports the version in package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });
});
