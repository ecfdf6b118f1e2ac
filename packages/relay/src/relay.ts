import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { LoginThrottle } from './auth/index.js';
import { createBot, createHelpCenter, FaqBot, loadKnowledgeBase, watchKnowledgeBase, type Bot } from './bot/index.js';
import { InProcessBus, MemoryPresence, VISITORS_TOPIC, type Bus } from './bus/index.js';
import { DEFAULT_LIMITS, parseConfig, withAgentDefaults, type AgentInput, type RelayConfig, type RelayLimits } from './config.js';
import { ConversationService } from './conversations/index.js';
import { DataRights } from './data-rights/index.js';
import { attachGateway, createPolling, SessionRegistry, startPresenceBeat, TranscriptLimit, type RelayPresence, type Timers } from './gateway/index.js';
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
  /**
   * Where the relay heartbeats the agents and visitors connected to it (shared across relays
   * with RedisPresence). @default two MemoryPresence with `config.presenceTtlMs`
   */
  presence?: RelayPresence;
  /**
   * Wins over `config.bot`. `null` for no bot.
   * @default a FaqBot over `config.kbPath`, behind a WebhookBot when `config.bot.webhook` is set
   */
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
  /** The sessions connected to this relay right now. */
  sessions: SessionRegistry;
  /** Agents and visitors online on any relay sharing this presence. */
  presence: RelayPresence;
  /** Export and erase a visitor's data. */
  dataRights: DataRights;
  /** Presence, routing, positions. */
  desk: Desk;
  tickets: TicketService;
  /** The FAQ bot over `config.kbPath` (answering, or behind the configured bot). */
  faq: FaqBot;
  config: RelayConfig;
  /**
   * Graceful stop: refuse new connections, let in-flight frames finish and be acked (at most
   * `drainMs`, default 5000), close every socket with 1001 so clients reconnect elsewhere,
   * finish bot replies, leave presence, and release what it created.
   */
  close(options?: { drainMs?: number }): Promise<void>;
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
  const presence = options.presence ?? {
    agents: new MemoryPresence({ ttlMs: config.presenceTtlMs, now }),
    visitors: new MemoryPresence({ ttlMs: config.presenceTtlMs, now }),
  };
  // The FAQ bot answers, or backs up a webhook bot. It follows its file: an edit to the
  // knowledge base is live without a restart, and an invalid edit is logged and ignored.
  const faq = new FaqBot({ kb: await loadKnowledgeBase(config.kbPath), ...(config.bot?.thresholds ? { thresholds: config.bot.thresholds } : {}) });
  const kbWatcher = watchKnowledgeBase(config.kbPath, {
    onLoad: (kb) => {
      faq.setKnowledgeBase(kb);
      logger.info({ file: config.kbPath, articles: kb.articles.length }, 'knowledge base reloaded');
    },
    onError: (err) => logger.warn({ err, file: config.kbPath }, 'knowledge base not reloaded; still answering from the previous version'),
  });
  const bot = options.bot === undefined ? createBot(config, { logger, faq }) : options.bot;
  // The help center serves the same knowledge base, whichever bot answers (or none).
  const helpCenter = createHelpCenter(
    () => faq.kb,
    (q, lang) => faq.search(q, { lang, prefix: true }).map((h) => ({ id: h.article.id, score: h.score })),
  );

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
  const sessions = new SessionRegistry({ onListenerError: (err) => logger.error({ err }, 'session listener failed') });
  const dataRights = new DataRights({ store, bus, logger, now });
  const ticketThrottle = new LoginThrottle({ maxFailures: config.limits.ticketRequestsPerWindow, windowMs: config.limits.ticketWindowMs, now });
  const app = createHttpApp({
    service,
    throttle,
    logger,
    loginBodyBytes: config.limits.loginBodyBytes,
    agentApi: { dataRights, presence },
    desk,
    helpCenter,
    tickets,
    ticketThrottle,
    ticketBodyBytes: config.limits.ticketBodyBytes,
    helpRequestsPerSecond: config.limits.helpRequestsPerSecond,
    helpBurst: config.limits.helpBurst,
    ...(options.dirs ? { dirs: options.dirs } : {}),
  });
  // Long-polling beside the WebSocket: the same sessions, for networks that break WebSockets.
  // One transcript e-mail budget for both transports.
  const transcripts = new TranscriptLimit(config.limits.transcriptEmailsPerConversation, now);
  const polling = createPolling({
    service,
    bus,
    desk,
    tickets,
    transcripts,
    logger,
    limits: config.limits,
    now,
    ...(options.timers ? { timers: options.timers } : {}),
  });
  app.route('/api/poll', polling.app);
  const server = createServer(getRequestListener(app.fetch));
  const gateway = attachGateway(server, {
    service,
    bus,
    desk,
    tickets,
    transcripts,
    logger,
    limits: config.limits,
    now,
    sessions,
    ...(options.timers ? { timers: options.timers } : {}),
  });
  const beat = startPresenceBeat({ sessions, presence, logger });
  // An erasure on any relay closes the visitor's connections on this one.
  const visitorsOff = bus.subscribe(VISITORS_TOPIC, (message) => {
    if (message.kind === 'visitor-deleted') sessions.closeVisitor(message.visitorId, 'visitor data erased');
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
    sessions,
    presence,
    dataRights,
    desk,
    tickets,
    faq,
    config: { ...config, port },
    close(closeOptions = {}) {
      closing ??= (async () => {
        // Stop listening first: no new connection lands here while the others drain.
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        // Held polls answer now (empty); their clients poll again, elsewhere.
        polling.close();
        await gateway.close(closeOptions);
        server.closeAllConnections();
        await serverClosed;
        await service.idle();
        visitorsOff();
        kbWatcher.close();
        await beat.stop();
        await desk.close();
        ownMailer?.close();
        // Close only what this relay created; a store, bus or presence passed in belongs to the caller.
        if (!options.presence) await Promise.all([presence.agents.close(), presence.visitors.close()]);
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
