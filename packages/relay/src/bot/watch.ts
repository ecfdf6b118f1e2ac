import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { loadKnowledgeBase, type KnowledgeBase } from './kb.js';

/** Options for {@link watchKnowledgeBase}. */
export interface WatchKnowledgeBaseOptions {
  /** A valid new version was read. */
  onLoad: (kb: KnowledgeBase) => void;
  /** The file changed but cannot be used (invalid, half-written, gone); the caller keeps the old one. */
  onError: (error: Error) => void;
  /** Changes closer together than this are read once, after the last. @default 200 */
  debounceMs?: number;
}

/**
 * Reload a knowledge base file whenever it changes, without a restart. The folder is watched,
 * not the file, because editors and deploy tools save by writing a new file and renaming it
 * over the old one, which ends a watch on the old file. An invalid version is reported and
 * ignored, so a typo in the file never takes the bot down.
 *
 * @example
 * const watcher = watchKnowledgeBase('kb/default.json', {
 *   onLoad: (kb) => bot.setKnowledgeBase(kb),
 *   onError: (err) => logger.warn({ err }, 'knowledge base not reloaded'),
 * });
 * // later
 * watcher.close();
 */
export function watchKnowledgeBase(file: string, options: WatchKnowledgeBaseOptions): { close(): void } {
  const path = resolve(file);
  const name = basename(path);
  const debounceMs = options.debounceMs ?? 200;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  // Reads in flight are numbered, so an older, slower read never replaces a newer version.
  let latest = 0;
  const reload = () => {
    const n = ++latest;
    loadKnowledgeBase(path).then(
      (kb) => {
        if (!closed && n === latest) options.onLoad(kb);
      },
      (error: Error) => {
        if (!closed && n === latest) options.onError(error);
      },
    );
  };
  const watcher: FSWatcher = watch(dirname(path), { persistent: false }, (_event, changed) => {
    // Some platforms do not say which file changed: then any change in the folder counts.
    if (changed !== null && changed !== name) return;
    clearTimeout(timer);
    timer = setTimeout(reload, debounceMs);
  });
  watcher.on('error', (error) => options.onError(error));
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      watcher.close();
    },
  };
}
