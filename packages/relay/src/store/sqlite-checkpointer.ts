/**
 * Copies SQLite's write-ahead log into the database file from a worker thread, so the relay's
 * event loop never does it.
 *
 * Why: with SQLite's own automatic checkpoint, the commit that takes the WAL past 1,000 pages
 * also copies them into the database file and fsyncs it, on the thread that committed. On the
 * development machine that made one append in about 160 take 6 ms instead of 0.1 ms, and at
 * 1,000 messages a second every message behind it in the event loop waited too
 * (`npm run bench -- store` prints the figures).
 *
 * How: the relay's connection turns the automatic checkpoint off; a worker thread with a
 * connection of its own to the same file runs a PASSIVE checkpoint every `everyMs`, which
 * never blocks a writer. A PASSIVE checkpoint that runs while the relay writes never catches
 * up with the last frame, so SQLite never starts the WAL over and the file would grow without
 * end: once it holds `restartFrames` frames the worker runs a RESTART checkpoint, which makes
 * writers wait while it copies what the last PASSIVE one left and rewinds the WAL. That is
 * rare: whenever the relay pauses writing long enough for a PASSIVE checkpoint to catch up,
 * SQLite starts the WAL over by itself, at no cost. The worker's connection has the relay's
 * `synchronous` setting, so a checkpoint fsyncs the database file before the WAL is reused,
 * as SQLite's own would.
 *
 * If the worker cannot start or fails later, {@link Checkpointer.onFailure} is called, and
 * the store turns SQLite's automatic checkpoint back on: slower, never unbounded.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The default RESTART threshold. A RESTART makes the relay's appends wait for it (10-25 ms
 * under the transport bench's load); at 16,384 frames (one every ~3 s at 1,000 messages a
 * second) that put Parley's RTT p99 on SQLite at 10.4 ms, against 4.4 ms with none in the run.
 */
export const DEFAULT_RESTART_FRAMES = 65_536;

/** Options of {@link startCheckpointer}. */
export interface CheckpointerOptions {
  /** The database file (not `:memory:`). */
  path: string;
  synchronous: 'NORMAL' | 'FULL';
  busyTimeoutMs: number;
  /** How often the worker copies the WAL into the database file, in ms. @default 100 */
  everyMs?: number | undefined;
  /**
   * WAL frames (one page each, 4 KiB by default) past which the WAL is started over. Only
   * sustained heavy writing gets there: at about 95 appends a second a PASSIVE checkpoint
   * catches up in the pauses and SQLite starts the WAL over by itself, at no cost; at 425 a
   * second it no longer did (a message writes about 4.9 pages).
   * @default 65536 (256 MiB of WAL)
   */
  restartFrames?: number | undefined;
  /** The module the worker loads the driver from (tests name one that fails). @default 'libsql' */
  driver?: string | undefined;
}

/** A running checkpoint worker. */
export interface Checkpointer {
  /** True once the worker's connection is open; false if the worker failed before that. */
  readonly ready: Promise<boolean>;
  /** How many times the worker has started the WAL over. */
  readonly restarts: number;
  /** Called once, with the reason, if the worker fails (before or after it is ready). */
  onFailure: ((error: Error) => void) | null;
  /** Stop the worker; its connection is closed first. */
  close(): Promise<void>;
}

/** The worker's code (CommonJS, evaluated): its options arrive as workerData. */
const WORKER = `
const { parentPort, workerData: o } = require('node:worker_threads');
const Database = require(o.driver);
const db = new Database(o.path);
db.exec('PRAGMA busy_timeout = ' + o.busyTimeoutMs);
db.exec('PRAGMA synchronous = ' + o.synchronous);
const passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const restart = db.prepare('PRAGMA wal_checkpoint(RESTART)');
const timer = setInterval(() => {
  const done = passive.get();
  if (done.log < o.restartFrames) return;
  try {
    if (restart.get().busy === 0) parentPort.postMessage('restarted');
  } catch (error) {
    // The relay held the write lock past busy_timeout: the next tick tries again.
    if (error.code !== 'SQLITE_BUSY') throw error;
  }
}, o.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
parentPort.postMessage('ready');
`;

/** Start a checkpoint worker for the database file at `options.path`. */
export function startCheckpointer(options: CheckpointerOptions): Checkpointer {
  const driver = createRequire(import.meta.url).resolve(options.driver ?? 'libsql');
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: {
      path: options.path,
      driver,
      synchronous: options.synchronous,
      busyTimeoutMs: options.busyTimeoutMs,
      everyMs: Math.max(1, options.everyMs ?? 100),
      restartFrames: Math.max(1, options.restartFrames ?? DEFAULT_RESTART_FRAMES),
    },
  });
  // A relay that is done should not be kept alive by its checkpointer.
  worker.unref();
  let closing = false;
  let failed = false;
  let restarts = 0;
  worker.on('message', (message) => {
    if (message === 'restarted') restarts++;
  });
  const checkpointer: Checkpointer = {
    get restarts() {
      return restarts;
    },
    onFailure: null,
    ready: new Promise<boolean>((resolve) => {
      worker.once('message', (message) => resolve(message === 'ready'));
      worker.once('exit', () => resolve(false));
    }),
    async close() {
      if (closing) return;
      closing = true;
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      // Held until it has closed its connection: unref'd, the process could end first.
      worker.ref();
      worker.postMessage('close');
      await exited;
    },
  };
  const fail = (error: Error) => {
    if (failed) return;
    failed = true;
    checkpointer.onFailure?.(error);
  };
  worker.on('error', fail);
  worker.on('exit', (code) => {
    if (!closing) fail(new Error(`the checkpoint worker exited (code ${code})`));
  });
  return checkpointer;
}
