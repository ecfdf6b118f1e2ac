import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { LoginThrottle } from './auth/index.js';
import { FaqBot, loadKnowledgeBase, type Bot } from './bot/index.js';
import { InProcessBus, type Bus } from './bus/index.js';
import { DEFAULT_LIMITS, parseConfig, withAgentDefaults, type AgentInput, type RelayConfig, type RelayLimits } from './config.js';
import { ConversationService } from './conversations/index.js';
import { attachGateway, type Timers } from './gateway/index.js';
import { createHttpApp, type StaticDirs } from './http/index.js';
import { createLogger, type Logger } from './logger.js';
import { Desk } from './routing/index.js';
import { MemoryStore, type Store } from './store/index.js';
import { SmtpMailer, TicketService, type Mailer } from './tickets/index.js';

/** Options for {@link createRelay}. Everything has a default. */
export interface RelayOptions {
  /** Overrides on the defaults (the CLI passes the loaded config file here). */
  config?: Partial<Omit<RelayConfig, 'limits' | 'agents'>> & { limits?: Partial<RelayLimits>; agents?: AgentInput[] };
  /** @default a new MemoryStore */
  store?: Store;
  /** @default a new InProcessBus */
  bus?: Bus;
  /** @default a FaqBot over `config.kbPath`; `null` for no bot */
  bot?: Bot | null;
  /** A pino logger, or a level for a new one (`'silent'` in tests). @default env LOG_LEVEL, else 'info' */
  logger?: Logger | string;
  /** Where the served files are. @default the installed packages */
  dirs?: StaticDirs;
  /** @default Date.now */
  now?: () => number;
  /** @default global timers */
  timers?: Timers;
  /** Sends ticket replies and transcripts. @default an SmtpMailer when `config.smtp` is set, else none */
  mailer?: Mailer | null;
}

/** A running relay. */
export interface Relay {
  /** The base URL, e.g. `http://127.0.0.1:8787`; the WebSocket is at `${url}/ws` with ws:. */
  url: string;
  port: number;
  server: Server;
  store: Store;
  bus: Bus;
  service: ConversationService;
  /** Presence, routing, positions. */
  desk: Desk;
  tickets: TicketService;
  config: RelayConfig;
  /** Stop accepting, close every socket with 1001, finish bot replies, release what it created. */
  close(): Promise<void>;
}

/**
 * Start a relay: HTTP routes and the WebSocket gateway on one server, listening on
 * `config.port` (0 picks a free port).
 *
 * @example
 * const relay = await createRelay({ config: { port: 0 }, logger: 'silent' });
 * console.log(relay.url); // http://127.0.0.1:53121
 * await relay.close();
 */
export async function createRelay(options: RelayOptions = {}): Promise<Relay> {
  const { limits: limitOverrides, agents: agentInput, ...overrides } = options.config ?? {};
  const config: RelayConfig = {
    ...parseConfig({}, 'defaults'),
    ...overrides,
    ...(agentInput ? { agents: agentInput.map(withAgentDefaults) } : {}),
    limits: { ...DEFAULT_LIMITS, ...limitOverrides },
  };
  const logger = typeof options.logger === 'object' ? options.logger : createLogger(options.logger);
  const now = options.now ?? Date.now;
  const store = options.store ?? new MemoryStore();
  const bus = options.bus ?? new InProcessBus({ onHandlerError: (err, topic) => logger.error({ err, topic }, 'bus subscriber failed') });
  const bot = options.bot === undefined ? new FaqBot({ kb: await loadKnowledgeBase(config.kbPath) }) : options.bot;

  for (const agent of config.agents) {
    await store.upsertAgent({ id: agent.id, username: agent.username, name: agent.name, passwordHash: agent.passwordHash });
  }

  const ownMailer = options.mailer === undefined && config.smtp ? new SmtpMailer(config.smtp) : null;
  const mailer = options.mailer === undefined ? ownMailer : options.mailer;
  const tickets = new TicketService({ store, mailer, topics: config.topics, logger, now });
  const service = new ConversationService({
    topics: config.topics,
    tickets,
    ...(config.identitySecret !== undefined ? { identitySecret: config.identitySecret } : {}),
    store,
    bus,
    bot,
    botName: config.botName,
    agentSessionTtlMs: config.limits.agentSessionTtlMs,
    logger,
    now,
  });
  const desk = new Desk({
    store,
    bus,
    service,
    agents: config.agents,
    routing: config.routing,
    topics: config.topics,
    savedReplies: config.savedReplies,
    ...(config.hours ? { hours: config.hours } : {}),
    unansweredTicketAfterMs: config.limits.unansweredTicketAfterMs,
    typingIntervalMs: config.limits.typingIntervalMs,
    defaultHandleSeconds: config.limits.defaultHandleSeconds,
    logger,
    now,
    ...(options.timers ? { timers: options.timers } : {}),
  });
  await desk.start();
  const throttle = new LoginThrottle({ maxFailures: config.limits.loginMaxFailures, windowMs: config.limits.loginWindowMs, now });
  const ticketThrottle = new LoginThrottle({ maxFailures: config.limits.ticketRequestsPerWindow, windowMs: config.limits.ticketWindowMs, now });
  const app = createHttpApp({
    service,
    throttle,
    logger,
    loginBodyBytes: config.limits.loginBodyBytes,
    desk,
    tickets,
    ticketThrottle,
    ticketBodyBytes: config.limits.ticketBodyBytes,
    ...(options.dirs ? { dirs: options.dirs } : {}),
  });
  const server = createServer(getRequestListener(app.fetch));
  const gateway = attachGateway(server, {
    service,
    bus,
    desk,
    tickets,
    transcriptEmailsPerConversation: config.limits.transcriptEmailsPerConversation,
    logger,
    limits: config.limits,
    now,
    ...(options.timers ? { timers: options.timers } : {}),
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${displayHost(config.host)}:${port}`;
  logger.info({ url }, 'relay listening');

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    server,
    store,
    bus,
    service,
    desk,
    tickets,
    config: { ...config, port },
    close() {
      closing ??= (async () => {
        await gateway.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await service.idle();
        await desk.close();
        ownMailer?.close();
        // Close only what this relay created; a store or bus passed in belongs to the caller.
        if (!options.bus) await bus.close();
        if (!options.store) await store.close();
        logger.info('relay closed');
      })();
      return closing;
    },
  };
}

function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}
