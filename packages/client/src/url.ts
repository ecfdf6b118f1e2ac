/**
 * Normalise a relay base URL: must be http(s); trailing slashes go, a path prefix stays
 * (a relay mounted at `https://example.com/chat/` serves `https://example.com/chat/ws`).
 * Returns `host[/prefix]` (no scheme, no trailing slash) and whether it is https.
 * Throws a TypeError naming the bad value, so a typo fails at construction, not on connect.
 */
export function relayBase(relay: string): [hostAndPrefix: string, secure: boolean] {
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
  return [url.host + url.pathname.replace(/\/+$/, ''), url.protocol === 'https:'];
}

/** `http(s)://host/prefix` + `path` -> absolute URL string, keeping the prefix. */
export function relayHttpUrl(relay: string, path: string): string {
  const [base, secure] = relayBase(relay);
  return `http${secure ? 's' : ''}://${base}${path}`;
}

/**
 * The WebSocket endpoint of a relay: `http` -> `ws`, `https` -> `wss`, path prefix kept.
 *
 * @example
 * relayWebSocketUrl('https://chat.example.com/support/') // 'wss://chat.example.com/support/ws'
 */
export function relayWebSocketUrl(relay: string, path = '/ws'): string {
  const [base, secure] = relayBase(relay);
  return `ws${secure ? 's' : ''}://${base}${path}`;
}
