import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HttpBindings } from '@hono/node-server';
import {
  AgentLoginRequestSchema,
  CreateTicketRequestSchema,
  ErrorCode,
  TicketMessageRequestSchema,
  TicketReplyRequestSchema,
  TicketStatusRequestSchema,
  TicketStatusSchema,
  type AgentLoginResponse,
} from '@parley/protocol';
import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import type { LoginThrottle } from '../auth/index.js';
import type { Actor, ConversationService } from '../conversations/index.js';
import { RelayError } from '../errors.js';
import type { Desk } from '../routing/index.js';
import { toTicket, type TicketService } from '../tickets/index.js';
import type { Logger } from '../logger.js';
import { packageDir } from '../paths.js';
import type { HelpCenter } from '../bot/help.js';
import { mountAgentApi, type AgentApiOptions } from './agent-api.js';
import { KeyedBuckets } from '../gateway/index.js';
import { apiError, ID, LANG_TAG, limitBody, setHeaders } from './common.js';
import { mountHelpApi } from './help-api.js';

/** Where the HTTP app finds the files it serves; each defaults to the installed package. */
export interface StaticDirs {
  /** Folder with parley.js, parley-widget.js, parley-widget-desk.js and the language packs. @default `@parley/widget`/dist */
  widget?: string;
  /** Folder with console.js. @default `@parley/agent-console`/dist */
  console?: string;
  /** Folder with index.html (the demo page). @default `@parley/relay`/static */
  demo?: string;
}

/** Options for {@link createHttpApp}. */
export interface HttpAppOptions {
  service: ConversationService;
  throttle: LoginThrottle;
  logger: Logger;
  /** Largest login body in bytes. */
  loginBodyBytes: number;
  dirs?: StaticDirs;
  /** The agent-only endpoints (presence, visitor export and erasure). @default not mounted */
  agentApi?: Omit<AgentApiOptions, 'service'>;
  /** Desk info for the pre-chat form. */
  desk: Desk;
  /** The help center's articles and search (`/api/help`). */
  helpCenter: HelpCenter;
  /** Help center requests per client address and second, and the burst allowed. */
  helpRequestsPerSecond: number;
  helpBurst: number;
  tickets: TicketService;
  /** Counts visitor ticket requests (lookups, writes, creations) per address. */
  ticketThrottle: LoginThrottle;
  /** Largest ticket request body in bytes. */
  ticketBodyBytes: number;
}

type Env = { Bindings: HttpBindings };

const JS = 'text/javascript; charset=utf-8';
const HTML = 'text/html; charset=utf-8';

const AGENT_SHELL = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Parley agent console</title>
</head>
<body>
<div id="app"></div>
<script src="/agent/console.js"></script>
</body>
</html>
`;

/** A folder resolved lazily: a package that is not installed is a 503, not a crash at startup. */
function lazyDir(explicit: string | undefined, pkg: string, sub: string): () => string | null {
  return () => {
    if (explicit !== undefined) return explicit;
    try {
      return join(packageDir(pkg), sub);
    } catch {
      return null;
    }
  };
}

/** Only a plain host[:port] goes into a CSP header; anything else is dropped. */
const SAFE_HOST = /^[A-Za-z0-9.-]+(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$/;

/**
 * The relay's HTTP routes: the demo page, the widget scripts, the agent console, health and
 * agent login (SPEC.md "Agent HTTP API").
 *
 * @example
 * const app = createHttpApp({ service, throttle: new LoginThrottle(), logger, loginBodyBytes: 8192 });
 * const server = createServer(getRequestListener(app.fetch));
 */
export function createHttpApp(options: HttpAppOptions): Hono<Env> {
  const { service, throttle, logger } = options;
  const widgetDir = lazyDir(options.dirs?.widget, '@parley/widget', 'dist');
  const consoleDir = lazyDir(options.dirs?.console, '@parley/agent-console', 'dist');
  const demoDir = lazyDir(options.dirs?.demo, '@parley/relay', 'static');

  const app = new Hono<Env>();

  app.use('*', async (c, next) => {
    await next();
    setHeaders(c, { 'X-Content-Type-Options': 'nosniff' });
  });

  // The console handles agent tokens: lock it down. Same-origin scripts and sockets only,
  // no framing (clickjacking), no referrer leaking URLs.
  app.use('/agent/*', agentHeaders);
  app.use('/agent', agentHeaders);

  const serveFile = async (c: Context<Env>, dir: string | null, name: string, type: string, what: string) => {
    const body = dir === null ? null : await readFile(join(dir, name)).catch(() => null);
    if (body === null) {
      return c.text(`${what} is not built yet (missing ${name}). Run \`npm run build\` in the Parley repository, then reload.\n`, 503, {
        'Content-Type': 'text/plain; charset=utf-8',
        'Cache-Control': 'no-store',
      });
    }
    return c.body(body, 200, { 'Content-Type': type, 'Cache-Control': 'no-cache' });
  };

  app.get('/', (c) => serveFile(c, demoDir(), 'index.html', HTML, 'The demo page'));

  // parley-widget.js (the chat) and parley-widget-desk.js (with the desk's UI) speak English;
  // they fetch the other languages' packs (parley-lang-xx.js, parley-lang-xx-desk.js) from
  // their own folder when a visitor picks or has one, so those are served next to them.
  const packs = ['zh', 'es', 'ru', 'ja', 'ko'].flatMap((lang) => [`parley-lang-${lang}.js`, `parley-lang-${lang}-desk.js`]);
  for (const name of ['parley.js', 'parley-widget.js', 'parley-widget-desk.js', ...packs]) {
    app.get(`/${name}`, async (c) => {
      const res = await serveFile(c, widgetDir(), name, JS, 'The widget');
      // Any site may embed the widget script (that is the point of it).
      res.headers.set('Access-Control-Allow-Origin', '*');
      res.headers.set('Cross-Origin-Resource-Policy', 'cross-origin');
      return res;
    });
  }

  app.get('/agent', (c) => c.body(AGENT_SHELL, 200, { 'Content-Type': HTML, 'Cache-Control': 'no-cache' }));
  app.get('/agent/console.js', (c) => serveFile(c, consoleDir(), 'console.js', JS, 'The agent console'));

  app.get('/healthz', (c) => c.json({ ok: true }));

  app.post(
    '/api/agent/login',
    limitBody({
      maxSize: options.loginBodyBytes,
      onError: (c) => c.json(apiError(ErrorCode.TooLarge, `the body is larger than ${options.loginBodyBytes} bytes`), 413),
    }),
    async (c) => {
      let data: unknown;
      try {
        data = JSON.parse(await c.req.text());
      } catch {
        return c.json(apiError(ErrorCode.BadFrame, 'the body must be JSON: {"username":"…","password":"…"}'), 400);
      }
      const parsed = v.safeParse(AgentLoginRequestSchema, data);
      if (!parsed.success) {
        return c.json(apiError(ErrorCode.BadFrame, 'the body must be {"username":"…","password":"…"} with non-empty strings'), 400);
      }
      const { username, password } = parsed.output;
      const key = `${username}\u0000${c.env?.incoming?.socket?.remoteAddress ?? ''}`;
      if (throttle.isBlocked(key)) {
        return c.json(apiError(ErrorCode.RateLimited, 'too many failed logins; try again later'), 429, { 'Retry-After': '900' });
      }
      const session = await service.login(username, password);
      if (!session) {
        throttle.fail(key);
        // The same answer for an unknown user and a wrong password: no username probing.
        return c.json(apiError(ErrorCode.Unauthorized, 'wrong username or password'), 401);
      }
      throttle.succeed(key);
      const body: AgentLoginResponse = { token: session.token, agent: session.agent };
      return c.json(body, 200, { 'Cache-Control': 'no-store' });
    },
  );

  if (options.agentApi) mountAgentApi(app, { service, ...options.agentApi });
  // ------------------------------------------------------------------ desk and tickets

  // The widget calls these from any site: every answer, errors included, must be readable
  // cross-origin (a 404 for a wrong ticket e-mail is an answer the widget shows). No cookies
  // are involved, so `*` exposes nothing.
  const publicCors = async (c: Context<Env>, next: () => Promise<void>) => {
    await next();
    setHeaders(c, { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'Retry-After' });
  };
  app.use('/api/tickets', publicCors);
  app.use('/api/tickets/*', publicCors);
  app.use('/api/desk', publicCors);

  app.get('/api/desk', (c) => {
    const lang = c.req.query('lang');
    const topic = c.req.query('topic');
    const info = options.desk.info(lang && LANG_TAG.test(lang) ? lang : undefined, topic && ID.test(topic) ? topic : undefined);
    // Any site may embed the widget, which asks this before the first message.
    return c.json(info, 200, { 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'no-store' });
  });

  mountHelpApi(app, {
    helpCenter: options.helpCenter,
    limit: new KeyedBuckets(options.helpRequestsPerSecond, options.helpBurst, 50_000),
    address: (c) => (c as Context<Env>).env?.incoming?.socket?.remoteAddress ?? '',
  });

  const ticketBody = limitBody({
    maxSize: options.ticketBodyBytes,
    onError: (c) => c.json(apiError(ErrorCode.TooLarge, `the body is larger than ${options.ticketBodyBytes} bytes`), 413),
  });
  const address = (c: Context<Env>) => c.env?.incoming?.socket?.remoteAddress ?? '';
  /** Visitor ticket requests are throttled per address: every one counts, found or not. */
  const throttled = (c: Context<Env>) => {
    const key = `tickets\u0000${address(c)}`;
    if (options.ticketThrottle.isBlocked(key)) return true;
    options.ticketThrottle.fail(key);
    return false;
  };
  const tooMany = (c: Context<Env>) => c.json(apiError(ErrorCode.RateLimited, 'too many ticket requests; try again later'), 429, { 'Retry-After': '600' });
  const noTicket = (c: Context<Env>) => c.json(apiError(ErrorCode.NotFound, 'no ticket with this number and e-mail'), 404);
  const cors = { 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'no-store' };

  // The widget runs on other origins and posts JSON: answer the CORS preflight for the public ticket routes.
  app.options('/api/tickets/*', (c) => c.body(null, 204, { ...cors, 'Access-Control-Allow-Methods': 'GET, POST', 'Access-Control-Allow-Headers': 'content-type', 'Access-Control-Max-Age': '600' }));
  app.options('/api/tickets', (c) => c.body(null, 204, { ...cors, 'Access-Control-Allow-Methods': 'POST', 'Access-Control-Allow-Headers': 'content-type', 'Access-Control-Max-Age': '600' }));

  app.post('/api/tickets', ticketBody, async (c) => {
    if (throttled(c)) return tooMany(c);
    const parsed = await parseBody(c, CreateTicketRequestSchema, '{"subject","description","email",…}');
    if (!parsed.ok) return parsed.response;
    const ticket = await options.tickets.create(parsed.value);
    return c.json({ number: ticket.number, status: ticket.status }, 201, cors);
  });

  app.get('/api/tickets/:number', async (c) => {
    if (throttled(c)) return tooMany(c);
    const email = c.req.query('email') ?? '';
    const ticket = email.length > 0 && email.length <= 254 ? await options.tickets.lookup(c.req.param('number'), email) : null;
    return ticket ? c.json(toTicket(ticket), 200, cors) : noTicket(c);
  });

  app.post('/api/tickets/:number/messages', ticketBody, async (c) => {
    if (throttled(c)) return tooMany(c);
    const parsed = await parseBody(c, TicketMessageRequestSchema, '{"email":"…","text":"…"}');
    if (!parsed.ok) return parsed.response;
    const ticket = await options.tickets.visitorMessage(c.req.param('number'), parsed.value.email, parsed.value.text);
    return ticket ? c.json(toTicket(ticket), 200, cors) : noTicket(c);
  });

  /** The agent behind the Bearer token, or a 401 response. */
  const agentOf = async (c: Context<Env>): Promise<(Actor & { role: 'agent' }) | null> => {
    const header = c.req.header('authorization') ?? '';
    const token = /^Bearer ([^\s]{16,256})$/.exec(header)?.[1];
    if (!token) return null;
    try {
      return await service.agentFromToken(token);
    } catch (error) {
      if (error instanceof RelayError) return null;
      throw error;
    }
  };
  const unauthorized = (c: Context<Env>) => c.json(apiError(ErrorCode.Unauthorized, 'log in first: Authorization: Bearer <token>'), 401);
  const agentNoTicket = (c: Context<Env>) => c.json(apiError(ErrorCode.NotFound, 'no such ticket'), 404);

  app.get('/api/agent/tickets', async (c) => {
    if (!(await agentOf(c))) return unauthorized(c);
    const status = c.req.query('status');
    if (status !== undefined && !v.is(TicketStatusSchema, status)) return c.json(apiError(ErrorCode.BadFrame, 'status is open, pending, solved or closed'), 400);
    return c.json({ tickets: await options.tickets.list(status) }, 200, { 'Cache-Control': 'no-store' });
  });

  app.get('/api/agent/tickets/:number', async (c) => {
    if (!(await agentOf(c))) return unauthorized(c);
    const ticket = await options.tickets.get(c.req.param('number'));
    return ticket ? c.json(toTicket(ticket), 200, { 'Cache-Control': 'no-store' }) : agentNoTicket(c);
  });

  app.post('/api/agent/tickets/:number/replies', ticketBody, async (c) => {
    const actor = await agentOf(c);
    if (!actor) return unauthorized(c);
    const parsed = await parseBody(c, TicketReplyRequestSchema, '{"text":"…"}');
    if (!parsed.ok) return parsed.response;
    const result = await options.tickets.reply(c.req.param('number'), actor.agent, parsed.value.text);
    if (!result) return agentNoTicket(c);
    // Whether the e-mail went out: the reply is stored either way.
    return c.json(toTicket(result.ticket), 200, { 'Cache-Control': 'no-store', 'X-Parley-Mailed': String(result.mailed) });
  });

  app.patch('/api/agent/tickets/:number', ticketBody, async (c) => {
    if (!(await agentOf(c))) return unauthorized(c);
    const parsed = await parseBody(c, TicketStatusRequestSchema, '{"status":"open|pending|solved|closed"}');
    if (!parsed.ok) return parsed.response;
    const ticket = await options.tickets.setStatus(c.req.param('number'), parsed.value.status);
    return ticket ? c.json(toTicket(ticket), 200, { 'Cache-Control': 'no-store' }) : agentNoTicket(c);
  });

  app.notFound((c) => c.json(apiError(ErrorCode.NotFound, 'not found'), 404));
  app.onError((error, c) => {
    logger.error({ err: error, path: c.req.path }, 'http handler failed');
    return c.json(apiError(ErrorCode.Internal, 'the relay failed'), 500);
  });

  return app;
}

/** Read and validate a JSON body; a clear 400 naming the expected shape and the bad field otherwise. */
async function parseBody<T>(
  c: Context<Env>,
  schema: v.GenericSchema<unknown, T>,
  shape: string,
): Promise<{ ok: true; value: T } | { ok: false; response: Response }> {
  let data: unknown;
  try {
    data = JSON.parse(await c.req.text());
  } catch {
    return { ok: false, response: c.json(apiError(ErrorCode.BadFrame, `the body must be JSON: ${shape}`), 400) };
  }
  const parsed = v.safeParse(schema, data);
  if (parsed.success) return { ok: true, value: parsed.output };
  const issue = parsed.issues[0];
  const path = issue.path?.map((p) => String(p.key)).join('.');
  return { ok: false, response: c.json(apiError(ErrorCode.BadFrame, `invalid body${path ? ` at ${path}` : ''}: ${issue.message}`), 400) };
}

async function agentHeaders(c: Context<Env>, next: () => Promise<void>): Promise<void> {
  await next();
  const host = c.req.header('host') ?? '';
  const sockets = SAFE_HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  setHeaders(c, {
    'Content-Security-Policy':
      `default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; ` +
      `connect-src 'self'${sockets}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
  });
}
