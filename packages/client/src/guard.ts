import { batch } from '@preact/signals-core';

/**
 * Run a state update as one batch, and keep a throwing listener from breaking the caller.
 *
 * Why: signals-core runs effects when a batch ends and rethrows the first effect error
 * from the write that ended it. Without this, one app `effect` that throws would abort
 * frame processing half way (an ack applied but the outbox not cleared) or kill the
 * socket callback. The whole update still lands; only the listener's error is reported.
 */
export function createGuard(report: (error: unknown) => void): (fn: () => void) => void {
  return (fn) => {
    try {
      batch(fn);
    } catch (error) {
      report(error);
    }
  };
}
