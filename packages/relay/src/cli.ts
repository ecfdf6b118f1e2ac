#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { hashPassword } from './auth/index.js';
import * as v from 'valibot';
import { evaluate, FaqBot, LanguageKeySchema, loadKnowledgeBase, loadQueries, type EvalReport } from './bot/index.js';
import { openBackends, type Backends } from './backends.js';
import { DataRights } from './data-rights/index.js';
import { DEMO_PASSWORD_HINT, loadConfig, usesDemoAgent } from './config.js';
import { createLogger } from './logger.js';
import { createRelay, type Relay } from './relay.js';

const HELP = `Usage:
  parley start [--config FILE] [--port N]   start the relay (config also from env PARLEY_CONFIG; PORT, HOST)
  parley hash-password                      read a password on stdin, print its hash for a config file
  parley visitor export ID [--config FILE]  print everything held about a visitor (JSON)
  parley visitor delete ID [--config FILE]  erase everything held about a visitor
  parley faq ask [--kb FILE] [--lang xx] TEXT
                                            print the bot's decision for TEXT as JSON
  parley faq eval [--kb FILE] --queries FILE [--json]
                                            score the bot on labelled queries ([{"q","lang","expect"}])
  parley help                               show this help

Storage: a SQLite file under ./data/ (env PARLEY_DATA_DIR or config dataDir / sqlitePath);
DATABASE_URL=postgres://... for PostgreSQL, REDIS_URL=redis://... for the bus and presence
shared by several relays.
Shutdown: SIGTERM or Ctrl-C drains connections and exits within shutdownTimeoutMs (10 s).
Logging: JSON lines on stdout, level from env LOG_LEVEL (default info).`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      return start(rest);
    case 'hash-password':
      return hashFromStdin();
    case 'visitor':
      return visitorCommand(rest);
    case 'faq':
      return faqCommand(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(HELP);
      return command === undefined ? 1 : 0;
    default:
      console.error(`Unknown command "${command}".\n\n${HELP}`);
      return 1;
  }
}

async function start(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { config: { type: 'string' }, port: { type: 'string' } }, strict: true });
  const config = await loadConfig({
    ...(values.config !== undefined ? { file: values.config } : {}),
    ...(values.port !== undefined ? { port: portArg(values.port) } : {}),
  });
  const logger = createLogger();
  const backends = await openBackends(config, logger);
  let relay: Relay;
  try {
    relay = await createRelay({ config, logger, store: backends.store, bus: backends.bus, presence: backends.presence });
  } catch (error) {
    await backends.close();
    throw error;
  }
  const ws = relay.url.replace(/^http/, 'ws');
  console.log(
    [
      '',
      `  Parley relay running at ${relay.url}`,
      '',
      `  Demo page       ${relay.url}/`,
      `  Agent console   ${relay.url}/agent`,
      `  Widget script   ${relay.url}/parley.js`,
      `  Health          ${relay.url}/healthz`,
      `  WebSocket       ${ws}/ws`,
      `  Storage         ${backends.description}`,
      '',
      ...(usesDemoAgent(config)
        ? [`  Agent console: log in as ${DEMO_PASSWORD_HINT} (the demo agent; configure your own agents before going live)`, '']
        : []),
    ].join('\n'),
  );
  shutdownOnSignals(relay, backends, config.shutdownTimeoutMs);
  return -1; // keep running
}

async function visitorCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { config: { type: 'string' } }, strict: true, allowPositionals: true });
  const [action, id, ...extra] = positionals;
  if ((action !== 'export' && action !== 'delete') || id === undefined || extra.length > 0) {
    throw new UsageError('usage: parley visitor export|delete VISITOR_ID [--config FILE]');
  }
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new UsageError('a visitor id is 1-64 of A-Z a-z 0-9 _ -');
  const config = await loadConfig(values.config !== undefined ? { file: values.config } : {});
  // No logger: stdout carries the export and nothing else.
  const backends = await openBackends(config);
  try {
    // With Redis, the erasure is announced on the shared bus, so running relays close the
    // visitor's connections; on a single relay use DELETE /api/agent/visitors/:id for that.
    const rights = new DataRights({ store: backends.store, bus: backends.bus });
    if (action === 'export') {
      const data = await rights.export(id);
      if (!data) {
        console.error(`parley: nothing is held about visitor ${id} (${backends.description})`);
        return 1;
      }
      process.stdout.write(JSON.stringify(data, null, 2) + '\n');
      return 0;
    }
    const erasure = await rights.erase(id);
    if (!erasure.found) {
      console.error(`parley: nothing is held about visitor ${id} (${backends.description})`);
      return 1;
    }
    console.log(`Erased visitor ${id}: ${erasure.conversations} conversation(s), ${erasure.events} event(s).`);
    return 0;
  } finally {
    await backends.close();
  }
}

async function faqCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { kb: { type: 'string' }, lang: { type: 'string' }, queries: { type: 'string' }, json: { type: 'boolean' }, config: { type: 'string' } },
    strict: true,
    allowPositionals: true,
  });
  const [action, ...words] = positionals;
  if (action !== 'ask' && action !== 'eval') throw new UsageError('usage: parley faq ask|eval ... (see parley help)');
  if (values.lang !== undefined && !v.is(LanguageKeySchema, values.lang)) throw new UsageError('--lang is a language code like en or zh');
  // The knowledge base and thresholds the relay would use, unless --kb names another file.
  const config = await loadConfig(values.config !== undefined ? { file: values.config } : {});
  const kb = await loadKnowledgeBase(values.kb ?? config.kbPath);
  const bot = new FaqBot({ kb, ...(config.bot?.thresholds ? { thresholds: config.bot.thresholds } : {}) });
  if (action === 'ask') {
    const text = words.join(' ').trim();
    if (text === '') throw new UsageError('usage: parley faq ask [--kb FILE] [--lang xx] "the visitor\'s message"');
    const d = bot.decide(text, values.lang);
    console.log(JSON.stringify({ kind: d.kind, articleId: d.articleId ?? null, confidence: round(d.confidence), suggestions: d.suggestions }));
    return 0;
  }
  if (values.queries === undefined || words.length > 0) throw new UsageError('usage: parley faq eval [--kb FILE] --queries FILE [--json]');
  const report = evaluate(bot, await loadQueries(values.queries));
  console.log(values.json ? JSON.stringify(report) : describeReport(report));
  return 0;
}

const round = (n: number) => Math.round(n * 10_000) / 10_000;
const pct = (n: number) => `${(n * 100).toFixed(1)}%`;

function describeReport(r: EvalReport): string {
  const line = (name: string, t: { total: number; correct: number; accuracy: number }) => `  ${name.padEnd(10)} ${pct(t.accuracy).padStart(6)}  (${t.correct}/${t.total})`;
  return [
    `accuracy ${pct(r.accuracy)} (${r.correct}/${r.total}); article in the answer or its suggestions: ${pct(r.top3.accuracy)}`,
    'by language:',
    ...Object.entries(r.byLanguage).map(([k, t]) => line(k, t)),
    'by expected decision (recall):',
    ...Object.entries(r.byExpect).map(([k, t]) => line(k, t)),
    `urgent queries answered with an article or "none": ${r.urgentAnsweredOrNone}`,
    `misses: ${r.misses.length} (--json lists them)`,
  ].join('\n');
}

function portArg(text: string): number {
  const port = /^[0-9]{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new UsageError(`--port must be a number 0-65535, got "${text.slice(0, 20)}"`);
  return port;
}

class UsageError extends Error {
  override readonly name = 'UsageError';
}

function shutdownOnSignals(relay: Relay, backends: Backends, timeoutMs: number): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      // A second Ctrl-C means "now".
      process.exit(1);
    }
    stopping = true;
    console.log(`\n  ${signal}: closing connections…`);
    // The bound: whatever is still draining after timeoutMs is abandoned. Nothing is left
    // half-written: each append is one transaction, and an unacked frame is resent by its
    // client to the relay it reconnects to.
    setTimeout(() => {
      console.error(`parley: shutdown took longer than ${timeoutMs} ms; exiting now`);
      process.exit(1);
    }, timeoutMs).unref();
    // Half the budget for in-flight frames; the rest for closing sockets, bot replies and backends.
    relay
      .close({ drainMs: Math.floor(timeoutMs / 2) })
      .then(() => backends.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error('error while closing:', error);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

async function hashFromStdin(): Promise<number> {
  if (process.stdin.isTTY) process.stderr.write('Password (input is visible; or pipe it in): ');
  const password = await readPassword();
  if (password === '') {
    console.error('No password given on stdin.');
    return 1;
  }
  console.log(await hashPassword(password));
  return 0;
}

/** The first line of stdin (a terminal), or everything without the final newline (a pipe). */
function readPassword(): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const stdin = process.stdin;
    stdin.setEncoding('utf8');
    const done = () => {
      stdin.pause();
      stdin.removeAllListeners('data');
      resolve(text.replace(/\r?\n$/, ''));
    };
    stdin.on('data', (chunk: string) => {
      text += chunk;
      if (stdin.isTTY && text.includes('\n')) {
        text = text.slice(0, text.indexOf('\n'));
        done();
      }
    });
    stdin.once('end', done);
    stdin.once('error', reject);
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    // Config, knowledge-base and usage errors carry messages written for people.
    const known = error instanceof Error && ['ConfigError', 'KnowledgeBaseError', 'UsageError', 'BackendError'].includes(error.name);
    const inUse = (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';
    if (known || inUse) console.error(`parley: ${(error as Error).message}`);
    else if (error instanceof TypeError && (error as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') console.error(`parley: ${error.message}\n\n${HELP}`);
    else console.error('parley: failed to start:', error);
    process.exitCode = 1;
  },
);
