import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type { TargetedSubmitEvent } from 'preact';
import type { LoginFn } from './app.js';
import { strings } from './strings.js';

/** Props of {@link LoginScreen}. */
export interface LoginScreenProps {
  relay: string;
  login: LoginFn;
  /** Shown above the form, e.g. "Your session has ended". */
  notice?: string | null;
  onLoggedIn(token: string): void;
}

/**
 * The sign-in form. Submits with Enter (it is a real form), disables itself while the
 * request runs, and shows the relay's own error message (e.g. "Wrong username or password").
 *
 * @example
 * <LoginScreen relay="http://localhost:8787" login={loginAgent} onLoggedIn={saveToken} />
 */
export function LoginScreen({ relay, login, notice, onLoggedIn }: LoginScreenProps) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const usernameRef = useRef<HTMLInputElement>(null);
  // The request may finish after the screen is gone (log in, then quick navigation).
  const mounted = useRef(true);
  useEffect(() => {
    usernameRef.current?.focus();
    return () => {
      mounted.current = false;
    };
  }, []);
  // The fieldset was disabled while submitting, which drops focus; put it back where the
  // agent most likely needs to retype.
  useEffect(() => {
    if (!busy && error) passwordRef.current?.focus();
  }, [busy, error]);

  const ids = useId();

  async function submit(event: TargetedSubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const name = username.trim();
    if (!name || !password) {
      setError(strings.login.missingFields);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const result = await login(relay, name, password);
      if (!mounted.current) return;
      if (!result || typeof result.token !== 'string' || !result.token) throw new Error('no token in the answer');
      onLoggedIn(result.token);
    } catch (err) {
      if (!mounted.current) return;
      setError(loginErrorMessage(err));
      setBusy(false);
    }
  }

  return (
    <main class="pc-login">
      <h1>{strings.appTitle}</h1>
      <form class="pc-login-form" onSubmit={submit} aria-labelledby={`${ids}-h`} noValidate>
        <h2 id={`${ids}-h`}>{strings.login.heading}</h2>
        {notice && !error ? (
          <p class="pc-notice" role="status">
            {notice}
          </p>
        ) : null}
        {error ? (
          <p class="pc-error" role="alert" id={`${ids}-err`}>
            {error}
          </p>
        ) : null}
        <fieldset disabled={busy} aria-busy={busy}>
          <label for={`${ids}-user`}>{strings.login.username}</label>
          <input
            ref={usernameRef}
            id={`${ids}-user`}
            name="username"
            autocomplete="username"
            value={username}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${ids}-err` : undefined}
            onInput={(e) => setUsername(e.currentTarget.value)}
          />
          <label for={`${ids}-pass`}>{strings.login.password}</label>
          <input
            ref={passwordRef}
            id={`${ids}-pass`}
            name="password"
            type="password"
            autocomplete="current-password"
            value={password}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${ids}-err` : undefined}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
          <button type="submit">{busy ? strings.login.submitting : strings.login.submit}</button>
        </fieldset>
      </form>
    </main>
  );
}

/** The client's own error codes (not the relay's): their messages are for developers. */
const CLIENT_SIDE_CODES = new Set(['network', 'bad_response', 'timeout', 'offline', 'disconnected']);

/**
 * What to tell the agent about a failed login: the relay's message when the relay refused
 * (`{code: 'unauthorized', message: 'Wrong username or password'}`), else a generic line
 * (a network failure's text means nothing to an agent).
 */
export function loginErrorMessage(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && 'message' in err) {
    const { code, message } = err as { code: unknown; message: unknown };
    if (typeof code === 'string' && !CLIENT_SIDE_CODES.has(code) && typeof message === 'string' && message.trim()) {
      return message.trim().slice(0, 300);
    }
  }
  return strings.login.failed;
}
