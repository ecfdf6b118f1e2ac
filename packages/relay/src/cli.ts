#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { hashPassword } from './auth/index.js';
import { DEMO_PASSWORD_HINT, loadConfig, usesDemoAgent } from './config.js';
import { createLogger } from './logger.js';
import { createRelay, type Relay } from './relay.js';

const HELP = `Usage:
  parley start [--config FILE] [--port N]   start the relay (config also from env PARLEY_CONFIG; PORT, HOST)
  parley hash-password                      read a password on stdin, print its hash for a config file
  parley help                               show this help

Logging: JSON lines on stdout, level from env LOG_LEVEL (default info).`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      return start(rest);
    case 'hash-password':
      return hashFromStdin();
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
  const relay = await createRelay({ config, logger });
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
      '',
      ...(usesDemoAgent(config)
        ? [`  Agent console: log in as ${DEMO_PASSWORD_HINT} (the demo agent; configure your own agents before going live)`, '']
        : []),
    ].join('\n'),
  );
  shutdownOnSignals(relay);
  return -1; // keep running
}

function portArg(text: string): number {
  const port = /^[0-9]{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new UsageError(`--port must be a number 0-65535, got "${text.slice(0, 20)}"`);
  return port;
}

class UsageError extends Error {
  override readonly name = 'UsageError';
}

function shutdownOnSignals(relay: Relay): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      // A second Ctrl-C means "now".
      process.exit(1);
    }
    stopping = true;
    console.log(`\n  ${signal}: closing connections…`);
    relay.close().then(
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
    const known = error instanceof Error && ['ConfigError', 'KnowledgeBaseError', 'UsageError'].includes(error.name);
    const inUse = (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';
    if (known || inUse) console.error(`parley: ${(error as Error).message}`);
    else if (error instanceof TypeError && (error as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') console.error(`parley: ${error.message}\n\n${HELP}`);
    else console.error('parley: failed to start:', error);
    process.exitCode = 1;
  },
);
