// Fixtures for the process-level tests: real relay processes (the built CLI), a round-robin
// TCP proxy standing in for a load balancer, and real clients on the `ws` package.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, connect as tcpConnect, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { effect, type ReadonlySignal } from '@preact/signals-core';
import { WebSocket } from 'ws';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The built CLI the tests run, exactly as `parley start` does. */
export const CLI = join(root, 'packages', 'relay', 'dist', 'cli.js');
export const haveBuild = existsSync(CLI);
export const noBuildMessage = `${CLI} is missing: run \`npm run build\` first (npm test does)`;

/** What the real clients need to run on Node. */
export const clientPlatform = {
  WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
  events: null,
  // Quick reconnects keep the tests short; the shape (capped full jitter) is the client's own.
  backoff: { baseMs: 100, capMs: 800 },
} as const;

/** A relay child process. */
export interface RelayProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** stdout and stderr so far (for failure messages). */
  output(): string;
  /** Resolves with the exit code (or signal name) once the process is gone. */
  readonly exited: Promise<number | string>;
  kill(signal: NodeJS.Signals): void;
}

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();
/** SIGKILL every relay process still running and remove the temp folders (call in afterAll). */
export async function killAll(): Promise<void> {
  const exits = [...children].map((child) => new Promise((resolve) => child.once('exit', resolve)));
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  // The killed processes must be gone before their SQLite files are removed.
  await Promise.race([Promise.all(exits), new Promise((resolve) => setTimeout(resolve, 5000))]);
  children.clear();
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
  tempDirs.clear();
}

/** A free TCP port on loopback (released before returning; fine for tests). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A temp folder with a config file in it; returns the file's path. */
export async function writeConfig(config: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-scale-'));
  tempDirs.add(dir);
  const file = join(dir, 'parley.json');
  await writeFile(file, JSON.stringify({ dataDir: join(dir, 'data'), ...config }));
  return file;
}

/**
 * Start `node packages/relay/dist/cli.js start --config FILE` and wait for its banner.
 *
 * @example
 * const relay = await startRelay({ config: file, port: await freePort(), env: { DATABASE_URL } });
 */
export async function startRelay(options: { config: string; port: number; env?: Record<string, string> }): Promise<RelayProcess> {
  const child = spawn(process.execPath, [CLI, 'start', '--config', options.config, '--port', String(options.port)], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve(code ?? signal ?? 'unknown');
    });
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`relay did not start within 15 s:\n${output}`)), 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`relay exited (${code}) before it started:\n${output}`));
    });
  });
  return {
    url,
    port: options.port,
    child,
    output: () => output,
    exited,
    kill: (signal) => child.kill(signal),
  };
}

/** A round-robin TCP proxy: a plain load balancer without sticky sessions. */
export interface Proxy {
  url: string;
  /** For each accepted connection, the backend port it went to (undefined: none was up). */
  readonly routed: (number | undefined)[];
  close(): Promise<void>;
}

/**
 * Forward each new TCP connection to the next backend in turn; a backend that refuses the
 * connection (it is down) is skipped, as a load balancer's health check would.
 *
 * @example
 * const proxy = await startProxy([relayA.port, relayB.port]);
 * createVisitorClient({ relay: proxy.url, ... });
 */
export async function startProxy(ports: number[]): Promise<Proxy> {
  let next = 0;
  const routed: (number | undefined)[] = [];
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
    s.on('error', () => {});
  };
  const server: Server = createServer((client) => {
    track(client);
    client.pause();
    const index = routed.push(undefined) - 1;
    const start = next++ % ports.length;
    const attempt = (tries: number) => {
      if (tries >= ports.length) {
        client.destroy();
        return;
      }
      const port = ports[(start + tries) % ports.length]!;
      const upstream = tcpConnect(port, '127.0.0.1');
      track(upstream);
      upstream.once('connect', () => {
        routed[index] = port;
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
        upstream.once('close', () => client.destroy());
        client.once('close', () => upstream.destroy());
      });
      upstream.once('error', () => {
        if (routed[index] === undefined) attempt(tries + 1);
      });
    };
    attempt(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    routed,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A load balancer for single HTTP requests with no affinity at all: each request starts at the
 * next relay in turn and, when that one refuses the connection, tries the others once each
 * (as a balancer retries the next upstream). `hits` records which port answered each request.
 *
 * Like {@link startProxy}, the starting relay is taken once per request: retries walk on from
 * it rather than from a shared counter, which concurrent requests also advance (with two
 * relays, a request in flight elsewhere would send the retry back to the dead one).
 * An aborted request is not retried: the caller gave up on it.
 *
 * @example
 * pollingTransport({ fetch: roundRobinFetch([a.port, b.port], hits) });
 */
export function roundRobinFetch(ports: number[], hits: number[], doFetch: typeof fetch = globalThis.fetch): typeof fetch {
  let next = 0;
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const start = next++;
    let lastError: unknown;
    for (let tries = 0; tries < ports.length; tries++) {
      const port = ports[(start + tries) % ports.length]!;
      url.port = String(port);
      try {
        const res = await doFetch(url, init);
        hits.push(port);
        return res;
      } catch (error) {
        if (init?.signal?.aborted) throw error;
        lastError = error;
      }
    }
    throw lastError;
  };
}

export { until } from '../support/signals.js';

/** Poll `check` until it returns a truthy value. */
export async function eventually<T>(check: () => Promise<T> | T, what: string, timeoutMs = 10_000, everyMs = 50): Promise<T> {
  const start = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}; last: ${String(last)}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
