import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyPassword } from './auth/index.js';
import { ConfigError, DEFAULT_LIMITS, DEMO_AGENT, DEMO_PASSWORD_HASH, loadConfig, parseConfig, usesDemoAgent } from './config.js';

const HASH = DEMO_PASSWORD_HASH;

async function tempFile(name: string, content: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-config-'));
  const file = join(dir, name);
  await writeFile(file, content);
  return file;
}

describe('config', () => {
  it('defaults to port 8787, the shipped knowledge base and the demo agent', async () => {
    const config = await loadConfig({ env: {} });
    expect(config.port).toBe(8787);
    expect(config.kbPath).toMatch(/relay[\\/]kb[\\/]default\.json$/);
    expect(config.agents).toEqual([DEMO_AGENT]);
    expect(config.limits).toEqual(DEFAULT_LIMITS);
    expect(usesDemoAgent(config)).toBe(true);
  });

  it('embeds the hash of the demo password, not the password', async () => {
    expect(DEMO_AGENT.passwordHash).toMatch(/^scrypt\$/);
    expect(await verifyPassword('demo-password', DEMO_AGENT.passwordHash)).toBe(true);
  });

  it('reads a file, then env PORT, then an explicit port', async () => {
    const file = await tempFile('parley.json', JSON.stringify({ port: 9000, kb: 'my-kb.json', agents: [{ username: 'ana', name: 'Ana', passwordHash: HASH }], limits: { burst: 10 } }));
    const fromFile = await loadConfig({ file, env: {} });
    expect(fromFile.port).toBe(9000);
    expect(fromFile.kbPath).toBe(join(file, '..', 'my-kb.json'));
    expect(fromFile.agents).toEqual([{ id: 'ana', username: 'ana', name: 'Ana', passwordHash: HASH, languages: [], teams: [], capacity: 3, defaultStatus: 'online' }]);
    expect(fromFile.limits.burst).toBe(10);
    expect(usesDemoAgent(fromFile)).toBe(false);
    expect((await loadConfig({ file, env: { PORT: '9100' } })).port).toBe(9100);
    expect((await loadConfig({ file, env: { PORT: '9100' }, port: 0 })).port).toBe(0);
    expect((await loadConfig({ env: { PARLEY_CONFIG: file } })).port).toBe(9000);
  });

  it('names the file and the field of an invalid value', () => {
    expect(() => parseConfig({ agents: [{ username: 'ana', name: 'Ana', passwordHash: 'hunter2' }] }, 'parley.json')).toThrow(
      'Invalid config parley.json: field "agents.0.passwordHash" is not a scrypt hash; make one with `parley hash-password`',
    );
    expect(() => parseConfig({ port: 70000 }, 'p.json')).toThrow(/p\.json: field "port"/);
    expect(() => parseConfig({ limits: { burst: 0 } }, 'p.json')).toThrow(/p\.json: field "limits\.burst"/);
    expect(() => parseConfig({ prot: 1 }, 'p.json')).toThrow(ConfigError);
  });

  it('refuses duplicate agents', () => {
    const agent = { username: 'ana', name: 'Ana', passwordHash: HASH };
    expect(() => parseConfig({ agents: [agent, agent] }, 'p.json')).toThrow(/duplicate agent id ana/);
  });

  it('names a missing file, bad JSON and a bad PORT', async () => {
    await expect(loadConfig({ file: '/nonexistent/parley.json', env: {} })).rejects.toThrow(/Cannot read config \/nonexistent\/parley\.json/);
    const bad = await tempFile('bad.json', '{ port: ');
    await expect(loadConfig({ file: bad, env: {} })).rejects.toThrow(`Invalid config ${bad}: not valid JSON`);
    await expect(loadConfig({ env: { PORT: 'eighty' } })).rejects.toThrow('Invalid env PORT: "eighty" is not a port');
  });

  describe('storage', () => {
    it('keeps data in ./data/parley.sqlite by default, with no database or Redis', async () => {
      const config = await loadConfig({ env: {} });
      expect(config.dataDir).toBe(join(process.cwd(), 'data'));
      expect(config.sqlitePath).toBe(join(process.cwd(), 'data', 'parley.sqlite'));
      expect(config.databaseUrl).toBeUndefined();
      expect(config.redisUrl).toBeUndefined();
      expect(config).toMatchObject({ redisPrefix: 'parley:', presenceTtlMs: 30_000, shutdownTimeoutMs: 10_000 });
    });

    it('takes PARLEY_DATA_DIR, DATABASE_URL and REDIS_URL from the environment', async () => {
      const config = await loadConfig({
        env: { PARLEY_DATA_DIR: '/var/lib/parley', DATABASE_URL: 'postgres://p@db/parley', REDIS_URL: 'redis://cache:6379', PARLEY_REDIS_PREFIX: 'desk1:' },
      });
      expect(config.sqlitePath).toBe(join('/var/lib/parley', 'parley.sqlite'));
      expect(config).toMatchObject({ databaseUrl: 'postgres://p@db/parley', redisUrl: 'redis://cache:6379', redisPrefix: 'desk1:' });
    });

    it('resolves dataDir and sqlitePath in the file against the file’s folder', async () => {
      const file = await tempFile('parley.json', JSON.stringify({ dataDir: 'state', presenceTtlMs: 5000, shutdownTimeoutMs: 3000 }));
      const config = await loadConfig({ file, env: {} });
      expect(config.sqlitePath).toBe(join(file, '..', 'state', 'parley.sqlite'));
      expect(config).toMatchObject({ presenceTtlMs: 5000, shutdownTimeoutMs: 3000 });
      const other = await tempFile('parley.json', JSON.stringify({ sqlitePath: 'x/chat.db' }));
      expect((await loadConfig({ file: other, env: { PARLEY_DATA_DIR: '/elsewhere' } })).sqlitePath).toBe(join(other, '..', 'x', 'chat.db'));
    });

    it('refuses a URL of the wrong kind, naming where it came from', async () => {
      await expect(loadConfig({ env: { DATABASE_URL: 'mysql://x' } })).rejects.toThrow(/env DATABASE_URL: must start with postgres:\/\//);
      await expect(loadConfig({ env: { REDIS_URL: 'http://x' } })).rejects.toThrow(/env REDIS_URL/);
      expect(() => parseConfig({ databaseUrl: 'sqlite://x' }, 'p.json')).toThrow(ConfigError);
      expect(() => parseConfig({ presenceTtlMs: 10 }, 'p.json')).toThrow(/presenceTtlMs/);
    });
  });
});

describe('desk config', () => {
  it('reads routing, topics, saved replies, hours, identity secret and SMTP, with agent skills', () => {
    const config = parseConfig(
      {
        routing: 'auto',
        agents: [{ username: 'ana', name: 'Ana', passwordHash: DEMO_AGENT.passwordHash, languages: ['EN', 'de'], teams: ['security'], capacity: 5, defaultStatus: 'away' }],
        topics: [{ id: 'takeover', labels: { en: 'Account taken over' }, team: 'security', urgent: true }],
        savedReplies: [{ id: 'hi', title: 'Greeting', text: 'Hello!' }],
        hours: { timezone: 'Europe/Berlin', windows: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }] },
        identitySecret: 'sixteen-chars-or-more',
        smtp: { host: 'smtp.example.com', port: 587, from: 'support@example.com' },
      },
      'desk.json',
    );
    expect(config.routing).toBe('auto');
    expect(config.agents[0]).toMatchObject({ id: 'ana', languages: ['en', 'de'], teams: ['security'], capacity: 5, defaultStatus: 'away' });
    expect(config.topics[0]?.urgent).toBe(true);
    expect(config.smtp?.port).toBe(587);
    expect(parseConfig({}, 'defaults')).toMatchObject({ routing: 'pick', topics: [], savedReplies: [] });
  });

  it('names bad desk fields', () => {
    expect(() => parseConfig({ routing: 'random' }, 'x.json')).toThrow(/field "routing"/);
    expect(() => parseConfig({ identitySecret: 'short' }, 'x.json')).toThrow(/identitySecret.*16/);
    expect(() => parseConfig({ topics: [{ id: 'a', labels: {} }] }, 'x.json')).toThrow(/topics.0.labels.*label/);
    expect(() => parseConfig({ topics: [{ id: 'a', labels: { en: 'A' } }, { id: 'a', labels: { en: 'B' } }] }, 'x.json')).toThrow(/duplicate id a/);
    expect(() => parseConfig({ hours: { timezone: 'UTC', windows: [{ days: [8], from: '09:00', to: '18:00' }] } }, 'x.json')).toThrow(/hours/);
  });
});

describe('bot config', () => {
  const url = 'https://bots.example.com/parley';
  const secret = 'sixteen-chars-or-more';

  it('has no webhook by default', async () => {
    expect((await loadConfig({ env: {} })).bot).toBeUndefined();
  });

  it('reads bot.webhook from the file', async () => {
    const file = await tempFile('parley.json', JSON.stringify({ bot: { webhook: { url, timeoutMs: 1500, secret } } }));
    expect((await loadConfig({ file, env: {} })).bot).toEqual({ webhook: { url, timeoutMs: 1500, secret } });
    expect(parseConfig({ bot: {} }, 'x.json').bot).toBeUndefined();
  });

  it('reads the FAQ bot’s thresholds, and names a bad one', () => {
    expect(parseConfig({ bot: { thresholds: { answer: 0.7, suggest: 0.2 } } }, 'x.json').bot).toEqual({ thresholds: { answer: 0.7, suggest: 0.2 } });
    expect(() => parseConfig({ bot: { thresholds: { answer: 1.5 } } }, 'x.json')).toThrow('Invalid config x.json: field "bot.thresholds.answer" must be from 0 to 1');
    expect(() => parseConfig({ bot: { thresholds: { margin: 0.1 } } }, 'x.json')).toThrow(/field "bot\.thresholds\.margin"/);
  });

  it('names each bad webhook field', () => {
    const bad = (webhook: unknown) => () => parseConfig({ bot: { webhook } }, 'x.json');
    expect(bad({ url: 'ftp://bots.example.com' })).toThrow('Invalid config x.json: field "bot.webhook.url" must be an http:// or https:// URL');
    expect(bad({ url: 'not a url' })).toThrow(/field "bot\.webhook\.url" must be an http/);
    expect(bad({})).toThrow(/field "bot\.webhook\.url"/);
    expect(bad({ url, timeoutMs: 99 })).toThrow('Invalid config x.json: field "bot.webhook.timeoutMs" must be 100-30000 ms');
    expect(bad({ url, timeoutMs: 30_001 })).toThrow(/field "bot\.webhook\.timeoutMs" must be 100-30000 ms/);
    expect(bad({ url, timeoutMs: 100.5 })).toThrow(/field "bot\.webhook\.timeoutMs"/);
    expect(bad({ url, secret: 'short' })).toThrow('Invalid config x.json: field "bot.webhook.secret" must be at least 16 characters');
    expect(bad({ url, retries: 3 })).toThrow(/field "bot\.webhook\.retries"/);
    expect(() => parseConfig({ bot: { script: 'x' } }, 'x.json')).toThrow(/field "bot\.script"/);
    expect(bad({ url: 'http://127.0.0.1:9000/hook', timeoutMs: 100 })).not.toThrow();
    expect(bad({ url, timeoutMs: 30_000 })).not.toThrow();
  });

  it('takes PARLEY_BOT_WEBHOOK_URL and PARLEY_BOT_WEBHOOK_SECRET over the file, keeping the file’s timeout', async () => {
    const file = await tempFile('parley.json', JSON.stringify({ bot: { webhook: { url, timeoutMs: 800, secret } } }));
    const env = { PARLEY_BOT_WEBHOOK_URL: 'http://bots.internal:8080/hook', PARLEY_BOT_WEBHOOK_SECRET: 'another-secret-from-env' };
    expect((await loadConfig({ file, env })).bot).toEqual({ webhook: { url: 'http://bots.internal:8080/hook', timeoutMs: 800, secret: 'another-secret-from-env' } });
    expect((await loadConfig({ file, env: { PARLEY_BOT_WEBHOOK_SECRET: 'another-secret-from-env' } })).bot).toEqual({
      webhook: { url, timeoutMs: 800, secret: 'another-secret-from-env' },
    });
    expect((await loadConfig({ env: { PARLEY_BOT_WEBHOOK_URL: url } })).bot).toEqual({ webhook: { url } });
  });

  it('refuses bad webhook environment variables, naming them', async () => {
    await expect(loadConfig({ env: { PARLEY_BOT_WEBHOOK_URL: 'file:///etc/passwd' } })).rejects.toThrow(
      'Invalid env PARLEY_BOT_WEBHOOK_URL: must be an http:// or https:// URL',
    );
    await expect(loadConfig({ env: { PARLEY_BOT_WEBHOOK_URL: url, PARLEY_BOT_WEBHOOK_SECRET: 'short' } })).rejects.toThrow(
      'Invalid env PARLEY_BOT_WEBHOOK_SECRET: must be at least 16 characters',
    );
    await expect(loadConfig({ env: { PARLEY_BOT_WEBHOOK_SECRET: secret } })).rejects.toThrow(/PARLEY_BOT_WEBHOOK_SECRET: set but no webhook URL/);
  });
});
