import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import * as v from 'valibot';
import { AgentStatusSchema, DeskHoursSchema, type AgentStatus, type DeskHours, type SavedReply } from '@parley/protocol';
import { isPasswordHash } from './auth/index.js';
import { DEFAULT_GATEWAY_LIMITS, type GatewayLimits } from './gateway/index.js';
import { defaultKbPath } from './paths.js';

/** An agent account as configured. `id` defaults to the username. */
export interface AgentConfig {
  id: string;
  username: string;
  name: string;
  /** From `parley hash-password`; never the password itself. */
  passwordHash: string;
  /** Languages (primary subtags, e.g. `en`, `de`) the agent chats in. Empty: any. @default [] */
  languages: string[];
  /** Teams the agent belongs to (e.g. `tier2`, `security`). @default [] */
  teams: string[];
  /** Conversations at once. @default 3 */
  capacity: number;
  /** Status a new connection starts with. @default 'online' */
  defaultStatus: AgentStatus;
}

/** An agent as given to `createRelay` (skills optional, defaults as in {@link AgentConfig}). */
export type AgentInput = Omit<AgentConfig, 'languages' | 'teams' | 'capacity' | 'defaultStatus'> &
  Partial<Pick<AgentConfig, 'languages' | 'teams' | 'capacity' | 'defaultStatus'>>;

/**
 * An agent with its defaults filled in: any language, no team, capacity 3, online.
 *
 * @example
 * withAgentDefaults({ id: 'ana', username: 'ana', name: 'Ana', passwordHash, languages: ['EN'] }); // languages ['en'], capacity 3
 */
export function withAgentDefaults(agent: AgentInput): AgentConfig {
  return {
    ...agent,
    languages: (agent.languages ?? []).map((l) => l.toLowerCase()),
    teams: agent.teams ?? [],
    capacity: agent.capacity ?? 3,
    defaultStatus: agent.defaultStatus ?? 'online',
  };
}

/** A problem type the pre-chat form offers. */
export interface TopicConfig {
  id: string;
  /** Label per language, e.g. `{ en: 'Deposits', de: 'Einzahlungen' }`; `en` is the fallback. */
  labels: Record<string, string>;
  /** Route conversations on this topic to this team only. @default any team */
  team?: string;
  /** Conversations on this topic jump the queue (account taken over, funds stolen). @default false */
  urgent?: boolean;
}

/** SMTP settings for ticket replies and transcripts (nodemailer transport options). */
export interface SmtpConfig {
  host: string;
  port: number;
  /** TLS from the start (port 465); false uses STARTTLS when the server offers it. @default false */
  secure?: boolean;
  auth?: { user: string; pass: string };
  /** The From address, e.g. `"Acme Support" <support@acme.example>`. */
  from: string;
}

/** A webhook that answers in the bot's place (see `WebhookBot` in `src/bot/webhook.ts`). */
export interface WebhookConfig {
  /** Where the conversation is POSTed; http: or https: only. */
  url: string;
  /** After this long (100-30000 ms) the FAQ bot answers instead. @default 3000 */
  timeoutMs?: number;
  /** Signs each request (`X-Parley-Signature`); at least 16 characters. Absent: unsigned. */
  secret?: string;
}

/** Which bot answers first. */
export interface BotConfig {
  /** Ask this webhook, with the FAQ bot as its fallback. Absent: the FAQ bot answers. */
  webhook?: WebhookConfig;
  /**
   * When the FAQ bot answers, suggests or says it does not know (each 0..1; see
   * `FaqThresholds`). @default `DEFAULT_FAQ_THRESHOLDS` (answer 0.3, suggest 0.25, ambiguity 0.9)
   */
  thresholds?: { answer?: number; suggest?: number; ambiguity?: number };
}

/** Every limit the relay enforces. */
export interface RelayLimits extends GatewayLimits {
  /** Largest login request body. @default 8192 */
  loginBodyBytes: number;
  /** Largest ticket request body. @default 65536 */
  ticketBodyBytes: number;
  /** Ticket lookups and visitor ticket writes per address per window. @default 20 */
  ticketRequestsPerWindow: number;
  /** @default 600000 (10 min) */
  ticketWindowMs: number;
  /** A waiting conversation whose visitor stays away this long becomes a ticket. @default 600000 (10 min) */
  unansweredTicketAfterMs: number;
  /** At most one `typing: true` per sender and conversation this often. @default 1000 */
  typingIntervalMs: number;
  /** Transcript e-mails per conversation. @default 3 */
  transcriptEmailsPerConversation: number;
  /** The handling time assumed before any chat was closed, for wait estimates. @default 300 */
  defaultHandleSeconds: number;
  /** Failed logins per username and address before a pause. @default 5 */
  loginMaxFailures: number;
  /** How long failed logins are counted. @default 900000 (15 min) */
  loginWindowMs: number;
  /** How long an agent login lasts. @default 43200000 (12 h) */
  agentSessionTtlMs: number;
  /** Help center requests (`/api/help`) per client address and second. @default 10 */
  helpRequestsPerSecond: number;
  /** Help center requests a client address may make at once before the rate applies. @default 40 */
  helpBurst: number;
}

/** The relay's configuration, after defaults. */
export interface RelayConfig {
  /** @default env PORT, else 8787 */
  port: number;
  /** @default env HOST, else '127.0.0.1' (set '0.0.0.0' to listen on every interface) */
  host: string;
  agents: AgentConfig[];
  /** The knowledge base file. @default packages/relay/kb/default.json */
  kbPath: string;
  /** The bot's display name. @default 'Parley' */
  botName: string;
  /** The FAQ bot's thresholds, and a webhook bot in front of it. @default none (the FAQ bot answers with its defaults) */
  bot?: BotConfig;
  /** `auto`: the relay assigns waiting conversations; `pick`: agents take them from the queue. @default 'pick' */
  routing: 'auto' | 'pick';
  /** Problem types for the pre-chat form. @default [] */
  topics: TopicConfig[];
  /** Canned answers agents can insert. @default [] */
  savedReplies: SavedReply[];
  /** Opening hours; absent: always open (when agents are online). */
  hours?: DeskHours;
  /** Secret for identity verification (HMAC-SHA256 of the user id). Absent: nobody is verified. */
  identitySecret?: string;
  /** Where e-mail goes out. Absent: ticket replies are stored but not mailed; transcripts are `unavailable`. */
  smtp?: SmtpConfig;
  limits: RelayLimits;
  /** Folder for the SQLite file. @default env PARLEY_DATA_DIR, else './data' (relative to the working directory) */
  dataDir: string;
  /** The SQLite file. @default `${dataDir}/parley.sqlite` */
  sqlitePath: string;
  /** PostgreSQL instead of SQLite, e.g. `postgres://parley:secret@db:5432/parley`. @default env DATABASE_URL, else none */
  databaseUrl?: string;
  /** The PostgreSQL schema for the tables (created if missing). @default env PARLEY_DATABASE_SCHEMA, else the connection's search_path */
  databaseSchema?: string;
  /** Redis for the bus and presence across relays, e.g. `redis://redis:6379`. @default env REDIS_URL, else none (one process) */
  redisUrl?: string;
  /** Prefix of every Redis channel and key, so deployments can share a Redis. @default env PARLEY_REDIS_PREFIX, else 'parley:' */
  redisPrefix: string;
  /** A crashed relay's agents and visitors drop out of presence within this long (ms). @default 30000 */
  presenceTtlMs: number;
  /** On SIGTERM, exit after this long (ms) even if connections or writes are still draining. @default 10000 */
  shutdownTimeoutMs: number;
}

/** Where the SQLite file goes by default, relative to the working directory. */
export const DEFAULT_DATA_DIR = 'data';
/** The SQLite file's name inside `dataDir`. */
export const SQLITE_FILE = 'parley.sqlite';

/** The demo agent's password, shown only in the startup hint and the docs. */
export const DEMO_PASSWORD_HINT = 'demo / demo-password';

/** scrypt hash of the demo agent's password (made once with `parley hash-password`). */
export const DEMO_PASSWORD_HASH = 'scrypt$16384$8$1$IZ8G9O3sCa+tBGLR7KehFA==$vlomdDasPY0cuQsYLJKMrsaT661J76p6U7jdGfZTAwA=';

/**
 * The agent every relay has when its config names none.
 *
 * @example
 * await createRelay({ config: { agents: [DEMO_AGENT, myAgent] } });
 */
export const DEMO_AGENT: AgentConfig = {
  id: 'demo',
  username: 'demo',
  name: 'Demo Agent',
  passwordHash: DEMO_PASSWORD_HASH,
  languages: [],
  teams: [],
  capacity: 3,
  defaultStatus: 'online',
};

/** The defaults of {@link RelayLimits}. */
export const DEFAULT_LIMITS: RelayLimits = {
  ...DEFAULT_GATEWAY_LIMITS,
  loginBodyBytes: 8 * 1024,
  ticketBodyBytes: 64 * 1024,
  ticketRequestsPerWindow: 20,
  ticketWindowMs: 10 * 60_000,
  unansweredTicketAfterMs: 10 * 60_000,
  typingIntervalMs: 1000,
  transcriptEmailsPerConversation: 3,
  defaultHandleSeconds: 300,
  loginMaxFailures: 5,
  loginWindowMs: 15 * 60_000,
  agentSessionTtlMs: 12 * 60 * 60_000,
  helpRequestsPerSecond: 10,
  helpBurst: 40,
};

/**
 * True when the config still has the publicly known demo login.
 *
 * @example
 * if (usesDemoAgent(config)) console.log('log in as demo / demo-password');
 */
export function usesDemoAgent(config: Pick<RelayConfig, 'agents'>): boolean {
  return config.agents.some((a) => a.username === DEMO_AGENT.username && a.passwordHash === DEMO_PASSWORD_HASH);
}

/** A config that could not be read or is invalid; the message names the file and field. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const positiveInt = v.pipe(v.number(), v.integer(), v.minValue(1));
const portSchema = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(65535, 'must be 0-65535'));
const LimitsSchema = v.partial(
  v.strictObject(Object.fromEntries(Object.keys(DEFAULT_LIMITS).map((k) => [k, positiveInt])) as Record<keyof RelayLimits, typeof positiveInt>),
);
const idSchema = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'ids use 1-64 of A-Z a-z 0-9 _ -'));
const WEBHOOK_URL_MESSAGE = 'must be an http:// or https:// URL';
/** True for an absolute http: or https: URL. */
function isHttpUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
const webhookUrlSchema = v.pipe(v.string(), v.check(isHttpUrl, WEBHOOK_URL_MESSAGE));
const WEBHOOK_SECRET_MESSAGE = 'must be at least 16 characters';
const webhookSecretSchema = v.pipe(v.string(), v.minLength(16, WEBHOOK_SECRET_MESSAGE));
const share = v.pipe(v.number('must be a number from 0 to 1'), v.minValue(0, 'must be from 0 to 1'), v.maxValue(1, 'must be from 0 to 1'));
const langSchema = v.pipe(v.string(), v.regex(/^[A-Za-z]{2,3}$/, 'languages are primary subtags like en, de, zh'));
const AgentSchema = v.strictObject({
  id: v.optional(idSchema),
  languages: v.optional(v.array(langSchema)),
  teams: v.optional(v.array(idSchema)),
  capacity: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1000))),
  defaultStatus: v.optional(AgentStatusSchema),
  username: v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(100)),
  name: v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(200)),
  passwordHash: v.pipe(v.string(), v.check(isPasswordHash, 'is not a scrypt hash; make one with `parley hash-password`')),
});
const ConfigFileSchema = v.strictObject({
  port: v.optional(portSchema),
  host: v.optional(v.pipe(v.string(), v.minLength(1))),
  agents: v.optional(v.array(AgentSchema)),
  kb: v.optional(v.pipe(v.string(), v.minLength(1))),
  botName: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(200))),
  bot: v.optional(
    v.strictObject({
      webhook: v.optional(
        v.strictObject({
          url: webhookUrlSchema,
          timeoutMs: v.optional(v.pipe(v.number(), v.integer('must be a whole number of ms'), v.minValue(100, 'must be 100-30000 ms'), v.maxValue(30_000, 'must be 100-30000 ms'))),
          secret: v.optional(webhookSecretSchema),
        }),
      ),
      thresholds: v.optional(
        v.strictObject({
          answer: v.optional(share),
          suggest: v.optional(share),
          ambiguity: v.optional(share),
        }),
      ),
    }),
  ),
  limits: v.optional(LimitsSchema),
  dataDir: v.optional(v.pipe(v.string(), v.minLength(1))),
  sqlitePath: v.optional(v.pipe(v.string(), v.minLength(1))),
  databaseUrl: v.optional(v.pipe(v.string(), v.regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://'))),
  databaseSchema: v.optional(v.pipe(v.string(), v.regex(/^[a-z_][a-z0-9_]{0,62}$/, 'use lower-case letters, digits and _'))),
  redisUrl: v.optional(v.pipe(v.string(), v.regex(/^rediss?:\/\//, 'must start with redis:// or rediss://'))),
  redisPrefix: v.optional(v.pipe(v.string(), v.maxLength(100))),
  presenceTtlMs: v.optional(v.pipe(positiveInt, v.minValue(300, 'must be at least 300 ms'))),
  shutdownTimeoutMs: v.optional(positiveInt),
  routing: v.optional(v.picklist(['auto', 'pick'])),
  topics: v.optional(
    v.array(
      v.strictObject({
        id: idSchema,
        labels: v.pipe(
          v.record(langSchema, v.pipe(v.string(), v.minLength(1), v.maxLength(200))),
          v.check((r) => Object.keys(r).length > 0, 'needs at least one label'),
        ),
        team: v.optional(idSchema),
        urgent: v.optional(v.boolean()),
      }),
    ),
  ),
  savedReplies: v.optional(
    v.array(v.strictObject({ id: idSchema, title: v.pipe(v.string(), v.minLength(1), v.maxLength(200)), text: v.pipe(v.string(), v.minLength(1), v.maxLength(4000)) })),
  ),
  hours: v.optional(DeskHoursSchema),
  identitySecret: v.optional(v.pipe(v.string(), v.minLength(16, 'must be at least 16 characters'))),
  smtp: v.optional(
    v.strictObject({
      host: v.pipe(v.string(), v.minLength(1)),
      port: portSchema,
      secure: v.optional(v.boolean()),
      auth: v.optional(v.strictObject({ user: v.string(), pass: v.string() })),
      from: v.pipe(v.string(), v.minLength(3)),
    }),
  ),
});

/** The shape of a config file (every field optional). */
export type ConfigFile = v.InferInput<typeof ConfigFileSchema>;

/**
 * Validate a parsed config file and apply defaults. Relative paths are resolved against
 * `baseDir` (the config file's folder). Throws {@link ConfigError}.
 *
 * @example
 * const config = parseConfig({ port: 9000, agents: [{ username: 'ana', name: 'Ana', passwordHash }] }, 'parley.json');
 */
export function parseConfig(data: unknown, source: string, baseDir: string = process.cwd()): RelayConfig {
  const result = v.safeParse(ConfigFileSchema, data);
  if (!result.success) {
    const issue = result.issues[0];
    const field = (issue.path ?? []).map((p) => String(p.key)).join('.');
    throw new ConfigError(`Invalid config ${source}: ${field ? `field "${field}" ` : ''}${issue.message}`);
  }
  const file = result.output;
  const agents: AgentConfig[] = (file.agents ?? [DEMO_AGENT]).map((a) => withAgentDefaults({ ...a, id: a.id ?? a.username }));
  const seen = new Set<string>();
  for (const agent of agents) {
    for (const key of [`id:${agent.id}`, `username:${agent.username}`]) {
      if (seen.has(key)) throw new ConfigError(`Invalid config ${source}: field "agents": duplicate agent ${key.replace(':', ' ')}`);
      seen.add(key);
    }
  }
  for (const [field, list] of [
    ['topics', file.topics ?? []],
    ['savedReplies', file.savedReplies ?? []],
  ] as const) {
    const ids = new Set<string>();
    for (const { id } of list) {
      if (ids.has(id)) throw new ConfigError(`Invalid config ${source}: field "${field}": duplicate id ${id}`);
      ids.add(id);
    }
  }
  return {
    port: file.port ?? 8787,
    host: file.host ?? '127.0.0.1',
    agents,
    kbPath: file.kb !== undefined ? resolve(baseDir, file.kb) : defaultKbPath(),
    botName: file.botName ?? 'Parley',
    ...(file.bot?.webhook || file.bot?.thresholds
      ? { bot: { ...(file.bot.webhook ? { webhook: { ...file.bot.webhook } } : {}), ...(file.bot.thresholds ? { thresholds: { ...file.bot.thresholds } } : {}) } }
      : {}),
    routing: file.routing ?? 'pick',
    topics: file.topics ?? [],
    savedReplies: file.savedReplies ?? [],
    ...(file.hours ? { hours: file.hours } : {}),
    ...(file.identitySecret ? { identitySecret: file.identitySecret } : {}),
    ...(file.smtp ? { smtp: file.smtp } : {}),
    limits: { ...DEFAULT_LIMITS, ...file.limits },
    ...storageConfig(file, baseDir),
  };
}

function storageConfig(file: v.InferOutput<typeof ConfigFileSchema>, baseDir: string) {
  const dataDir = resolve(baseDir, file.dataDir ?? DEFAULT_DATA_DIR);
  return {
    dataDir,
    sqlitePath: file.sqlitePath !== undefined ? resolve(baseDir, file.sqlitePath) : join(dataDir, SQLITE_FILE),
    ...(file.databaseUrl !== undefined ? { databaseUrl: file.databaseUrl } : {}),
    ...(file.databaseSchema !== undefined ? { databaseSchema: file.databaseSchema } : {}),
    ...(file.redisUrl !== undefined ? { redisUrl: file.redisUrl } : {}),
    redisPrefix: file.redisPrefix ?? 'parley:',
    presenceTtlMs: file.presenceTtlMs ?? 30_000,
    shutdownTimeoutMs: file.shutdownTimeoutMs ?? 10_000,
  };
}

/** Where {@link loadConfig} reads from. */
export interface LoadConfigOptions {
  /** A JSON config file. @default env PARLEY_CONFIG */
  file?: string;
  /** @default process.env */
  env?: Record<string, string | undefined>;
  /** Wins over the file and the environment (e.g. `--port`). */
  port?: number;
}

/**
 * The relay's config: defaults, then the JSON file (`--config` or PARLEY_CONFIG), then env
 * PORT / HOST and the storage and webhook variables, then explicit overrides. Throws {@link ConfigError} naming the file and field.
 *
 * @example
 * const config = await loadConfig({ file: 'parley.json' });
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<RelayConfig> {
  const env = options.env ?? process.env;
  const file = options.file ?? (env.PARLEY_CONFIG || undefined);
  let config: RelayConfig;
  if (file === undefined) {
    config = parseConfig({}, 'defaults');
  } else {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new ConfigError(`Cannot read config ${file}: ${(error as Error).message}`);
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new ConfigError(`Invalid config ${file}: not valid JSON (${(error as Error).message})`);
    }
    config = parseConfig(data, file, dirname(resolve(file)));
  }
  if (env.PORT !== undefined && env.PORT !== '') config.port = parsePort(env.PORT, 'env PORT');
  if (env.HOST) config.host = env.HOST;
  // The environment wins over the file for where data lives: that is how containers and
  // process managers configure it, and a URL with a password belongs in a secret, not a file.
  if (env.PARLEY_DATA_DIR) {
    const fileSetPath = config.sqlitePath !== join(config.dataDir, SQLITE_FILE);
    config.dataDir = resolve(env.PARLEY_DATA_DIR);
    if (!fileSetPath) config.sqlitePath = join(config.dataDir, SQLITE_FILE);
  }
  if (env.DATABASE_URL) config.databaseUrl = checkUrl(env.DATABASE_URL, /^postgres(ql)?:\/\//, 'env DATABASE_URL', 'postgres://');
  if (env.PARLEY_DATABASE_SCHEMA) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(env.PARLEY_DATABASE_SCHEMA)) {
      throw new ConfigError('Invalid env PARLEY_DATABASE_SCHEMA: use lower-case letters, digits and _');
    }
    config.databaseSchema = env.PARLEY_DATABASE_SCHEMA;
  }
  if (env.REDIS_URL) config.redisUrl = checkUrl(env.REDIS_URL, /^rediss?:\/\//, 'env REDIS_URL', 'redis://');
  if (env.PARLEY_REDIS_PREFIX !== undefined && env.PARLEY_REDIS_PREFIX !== '') config.redisPrefix = env.PARLEY_REDIS_PREFIX;
  applyWebhookEnv(config, env);
  if (options.port !== undefined) config.port = parsePort(String(options.port), '--port');
  return config;
}

// A webhook secret belongs in the environment rather than a file, like DATABASE_URL; the URL
// may come from either, and the environment wins field by field.
function applyWebhookEnv(config: RelayConfig, env: Record<string, string | undefined>): void {
  const url = env.PARLEY_BOT_WEBHOOK_URL || undefined;
  const secret = env.PARLEY_BOT_WEBHOOK_SECRET || undefined;
  if (url === undefined && secret === undefined) return;
  if (url !== undefined && !isHttpUrl(url)) throw new ConfigError(`Invalid env PARLEY_BOT_WEBHOOK_URL: ${WEBHOOK_URL_MESSAGE}`);
  if (secret !== undefined && secret.length < 16) throw new ConfigError(`Invalid env PARLEY_BOT_WEBHOOK_SECRET: ${WEBHOOK_SECRET_MESSAGE}`);
  const current = config.bot?.webhook;
  const webhookUrl = url ?? current?.url;
  if (webhookUrl === undefined) {
    throw new ConfigError('Invalid env PARLEY_BOT_WEBHOOK_SECRET: set but no webhook URL (set PARLEY_BOT_WEBHOOK_URL or bot.webhook.url)');
  }
  config.bot = { ...config.bot, webhook: { ...current, url: webhookUrl, ...(secret !== undefined ? { secret } : {}) } };
}

function checkUrl(url: string, pattern: RegExp, source: string, scheme: string): string {
  if (!pattern.test(url)) throw new ConfigError(`Invalid ${source}: must start with ${scheme}`);
  return url;
}

/**
 * A TCP port from text, or a {@link ConfigError} naming where it came from.
 *
 * @example
 * parsePort('8787', '--port'); // 8787
 */
export function parsePort(text: string, source: string): number {
  const port = /^[0-9]{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new ConfigError(`Invalid ${source}: "${text.slice(0, 20)}" is not a port (0-65535)`);
  return port;
}
