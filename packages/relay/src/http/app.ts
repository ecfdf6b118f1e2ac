import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HttpBindings } from '@hono/node-server';
import { AgentLoginRequestSchema, ErrorCode, type AgentLoginResponse } from '@parley/protocol';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import * as v from 'valibot';
import type { LoginThrottle } from '../auth/index.js';
import type { ConversationService } from '../conversations/index.js';
import type { Logger } from '../logger.js';
import { packageDir } from '../paths.js';
import { mountAgentApi, type AgentApiOptions } from './agent-api.js';

/** Where the HTTP app finds the files it serves; each defaults to the installed package. */
export interface StaticDirs {
  /** Folder with parley.js and parley-widget.js. @default `@parley/widget`/dist */
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
    c.header('X-Content-Type-Options', 'nosniff');
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

  // parley-widget.js speaks English; it fetches the other languages' packs from its own
  // folder when a visitor picks or has one, so they are served next to it.
  const packs = ['zh', 'es', 'ru', 'ja', 'ko'].map((lang) => `parley-lang-${lang}.js`);
  for (const name of ['parley.js', 'parley-widget.js', ...packs]) {
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
    bodyLimit({
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

  app.notFound((c) => c.json(apiError(ErrorCode.NotFound, 'not found'), 404));
  app.onError((error, c) => {
    logger.error({ err: error, path: c.req.path }, 'http handler failed');
    return c.json(apiError(ErrorCode.Internal, 'the relay failed'), 500);
  });

  return app;
}

function apiError(code: ErrorCode, message: string) {
  return { error: { code, message } };
}

async function agentHeaders(c: Context<Env>, next: () => Promise<void>): Promise<void> {
  await next();
  const host = c.req.header('host') ?? '';
  const sockets = SAFE_HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  c.header(
    'Content-Security-Policy',
    `default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; ` +
      `connect-src 'self'${sockets}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  );
  c.header('X-Frame-Options', 'DENY');
  c.header('Referrer-Policy', 'no-referrer');
}
