import nodemailer, { type Transporter } from 'nodemailer';
import type { SmtpConfig } from '../config.js';

/** One plain-text e-mail. There is no HTML part: message text is never rendered as HTML. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/**
 * Sends e-mail. One implementation per file; tests pass a fake or a real SMTP server.
 *
 * @example
 * const mailer: Mailer = { send: async (mail) => console.log(mail.to, mail.subject) };
 * const relay = await createRelay({ mailer });
 */
export interface Mailer {
  send(mail: Mail): Promise<void>;
  close?(): Promise<void> | void;
}

/**
 * A {@link Mailer} over SMTP with nodemailer.
 *
 * @example
 * const mailer = new SmtpMailer({ host: 'smtp.example.com', port: 587, from: 'support@example.com', auth: { user, pass } });
 * await mailer.send({ to: 'visitor@example.org', subject: 'Your ticket', text: 'Hello' });
 */
export class SmtpMailer implements Mailer {
  readonly #transport: Transporter;
  readonly #from: string;

  constructor(config: SmtpConfig) {
    this.#from = config.from;
    this.#transport = nodemailer.createTransport({
      host: config.host,
      port: config.port,
      secure: config.secure ?? false,
      ...(config.auth ? { auth: { user: config.auth.user, pass: config.auth.pass } } : {}),
      // A relay must not hang a request on a dead mail server.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
  }

  async send(mail: Mail): Promise<void> {
    // `text` only: nodemailer sends a text/plain body; subjects are one line.
    await this.#transport.sendMail({ from: this.#from, to: mail.to, subject: oneLine(mail.subject), text: mail.text });
  }

  close(): void {
    this.#transport.close();
  }
}

/** Header values are one line: a newline in a subject must never start a new header. */
export function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').slice(0, 250);
}
