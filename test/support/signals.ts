import { effect, type ReadonlySignal } from '@preact/signals-core';

/**
 * Resolve once `pred` holds for the signal's value (checked now and on every change), or
 * reject after `timeoutMs` with the last value in the message.
 *
 * @example
 * await until(client.state, (s) => s === 'online', 'the client online');
 */
export function until<T>(s: ReadonlySignal<T>, pred: (value: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    let stop = () => {};
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(s.value).slice(0, 2000)}`));
    }, timeoutMs);
    stop = effect(() => {
      const v = s.value;
      if (pred(v)) {
        clearTimeout(timer);
        queueMicrotask(() => stop());
        resolve(v);
      }
    });
  });
}
