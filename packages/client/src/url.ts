/**
 * Normalise a relay base URL: must be http(s); trailing slashes go, a path prefix stays
 * (a relay mounted at `https://example.com/chat/` serves `https://example.com/chat/ws`).
 * Returns `http(s)://host[/prefix]`, without a trailing slash.
 * Throws a TypeError naming the bad value, so a typo fails at construction, not on connect.
 */
export function relayBase(relay: string): string {
  let url: URL | undefined;
  try {
    url = new URL(relay);
  } catch {
    // Reported below, with the same message as a non-http(s) URL.
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
    throw new TypeError(`relay must be an absolute http(s) URL, got ${JSON.stringify(relay)}`);
  }
  // Not via `url.pathname = ...`: for http(s) URLs an empty path reads back as '/'.
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/** `http(s)://host/prefix` + `path` -> absolute URL string, keeping the prefix. */
export function relayHttpUrl(relay: string, path: string): string {
  return relayBase(relay) + path;
}

/**
 * The WebSocket endpoint of a relay: `http` -> `ws`, `https` -> `wss`, path prefix kept.
 *
 * @example
 * relayWebSocketUrl('https://chat.example.com/support/') // 'wss://chat.example.com/support/ws'
 */
export function relayWebSocketUrl(relay: string, path = '/ws'): string {
  return relayHttpUrl(relay, path).replace(/^http/, 'ws');
}
