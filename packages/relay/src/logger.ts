import { pino } from 'pino';

/** The logging the relay needs; a pino logger fits. */
export type Logger = Pick<pino.Logger, 'debug' | 'info' | 'warn' | 'error'>;

/**
 * A pino logger writing JSON lines to stdout at `level` (default: env LOG_LEVEL, else `info`).
 *
 * @example
 * const logger = createLogger('silent'); // for tests
 */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): pino.Logger {
  return pino({ level, name: 'parley-relay' });
}
