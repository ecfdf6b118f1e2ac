import type { AddressInfo } from 'node:net';
import type { EventFrame, Ticket } from '@parley/protocol';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { is } from './helpers.js';
import { agentConn, deskRelay, request, tokenOf, until, visitorConn, type DeskFixture } from './desk-helpers.js';

let f: DeskFixture | null = null;
afterEach(async () => {
  await f?.close();
  f = null;
});

const api = (path: string, init: RequestInit & { token?: string; json?: unknown } = {}) => {
  const { token, json, ...rest } = init;
  return fetch(`${f!.relay.url}${path}`, {
    ...rest,
    headers: { ...(json !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
  });
};
const newTicket = { topic: 'deposit', subject: 'Missing deposit', description: 'My BTC deposit has not arrived after 3 days.', email: 'Vera@Example.test', lang: 'en' };

describe('tickets over HTTP', () => {
  it('creates a ticket, finds it with number and e-mail only, and lets agents reply and change its status', async () => {
    f = await deskRelay([{ id: 'ana' }]);
    const created = await api('/api/tickets', { method: 'POST', json: { ...newTicket, context: { url: 'https://ex.test/' } } });
    expect(created.status).toBe(201);
    const { number, status } = (await created.json()) as { number: string; status: string };
    expect(number).toMatch(/^PX-[0-9A-HJKMNP-TV-Z]{8}$/);
    expect(status).toBe('open');

    const found = await api(`/api/tickets/${number}?email=vera@example.test`);
    expect(found.status).toBe(200);
    expect(await found.json()).toMatchObject({ number, status: 'open', subject: 'Missing deposit', topic: 'deposit', messages: [{ author: { role: 'visitor' }, text: newTicket.description }] });
    // Typed by hand: lower case and spaces are fine.
    expect((await api(`/api/tickets/${encodeURIComponent(` ${number.toLowerCase()} `)}?email=vera@example.test`)).status).toBe(200);

    // A wrong e-mail looks exactly like an unknown number.
    const wrongEmail = await api(`/api/tickets/${number}?email=someone@else.test`);
    const unknown = await api(`/api/tickets/PX-00000000?email=vera@example.test`);
    expect(wrongEmail.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(await wrongEmail.json()).toEqual(await unknown.json());

    const more = await api(`/api/tickets/${number}/messages`, { method: 'POST', json: { email: 'vera@example.test', text: 'The txid is abc123' } });
    expect(((await more.json()) as Ticket).messages).toHaveLength(2);

    const token = await tokenOf(f.relay, 'ana');
    expect((await api('/api/agent/tickets')).status).toBe(401);
    const list = (await (await api('/api/agent/tickets?status=open', { token })).json()) as { tickets: { number: string; messageCount: number; email: string }[] };
    expect(list.tickets).toEqual([expect.objectContaining({ number, messageCount: 2, email: 'Vera@Example.test' })]);
    expect((await api('/api/agent/tickets?status=bogus', { token })).status).toBe(400);

    const replied = await api(`/api/agent/tickets/${number}/replies`, { method: 'POST', token, json: { text: 'It arrived this morning.' } });
    expect(replied.status).toBe(200);
    expect(replied.headers.get('x-parley-mailed')).toBe('false'); // no SMTP configured: stored, not mailed
    expect(await replied.json()).toMatchObject({ status: 'pending', messages: [{}, {}, { author: { role: 'agent', id: 'ana', name: 'Ana' }, text: 'It arrived this morning.' }] });

    const solved = await api(`/api/agent/tickets/${number}`, { method: 'PATCH', token, json: { status: 'solved' } });
    expect(((await solved.json()) as Ticket).status).toBe('solved');
    expect(((await (await api(`/api/tickets/${number}?email=vera@example.test`)).json()) as Ticket).status).toBe('solved');
    expect((await api(`/api/agent/tickets/PX-00000000`, { token })).status).toBe(404);
  });

  it('refuses bad bodies with a clear 400 and throttles lookups per address', async () => {
    f = await deskRelay([{ id: 'ana' }], { limits: { ticketRequestsPerWindow: 3 } });
    const bad = await api('/api/tickets', { method: 'POST', json: { ...newTicket, email: 'not-an-email' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/email/);
    expect((await api('/api/tickets/PX-00000000?email=a@b.co')).status).toBe(404);
    expect((await api('/api/tickets/PX-00000001?email=a@b.co')).status).toBe(404);
    const blocked = await api('/api/tickets/PX-00000002?email=a@b.co');
    expect(blocked.status).toBe(429);
  });
});

describe('unanswered chats become tickets', () => {
  it('turns a chat the visitor closes while waiting into a ticket with the transcript', async () => {
    f = await deskRelay([{ id: 'ana' }]);
    const v = await visitorConn(f, { lang: 'en' });
    await request(v.socket, { type: 'send', id: 'm1', conversationId: v.conversationId, text: 'Where is my withdrawal?' });
    await request(v.socket, { type: 'prechat', conversationId: v.conversationId, email: 'w@ex.test' });
    await request(v.socket, { type: 'handoff', conversationId: v.conversationId });
    await request(v.socket, { type: 'close', conversationId: v.conversationId });
    const closed = await v.socket.next<EventFrame>(is.event(v.conversationId, (e) => e.kind === 'status' && e.status === 'closed'));
    const number = closed.event.kind === 'status' ? closed.event.ticket : undefined;
    expect(number).toMatch(/^PX-/);
    const ticket = (await (await api(`/api/tickets/${number}?email=w@ex.test`)).json()) as Ticket;
    expect(ticket).toMatchObject({ status: 'open', conversationId: v.conversationId, subject: 'Where is my withdrawal?' });
    expect(ticket.messages[0]!.text).toContain('You: Where is my withdrawal?');
    expect((await f.relay.store.getConversation(v.conversationId))?.ticket).toBe(number);
  });

  it('turns a waiting chat into a ticket when the visitor stays away and nobody takes it', async () => {
    f = await deskRelay([{ id: 'ana' }], { limits: { unansweredTicketAfterMs: 150 } });
    const v = await visitorConn(f, { lang: 'en' });
    await request(v.socket, { type: 'handoff', conversationId: v.conversationId });
    // Back within the time: nothing happens.
    v.socket.close();
    await new Promise((r) => setTimeout(r, 60));
    const back = await visitorConn(f, { token: v.token });
    await new Promise((r) => setTimeout(r, 200));
    expect((await f.relay.store.getConversation(v.conversationId))?.status).toBe('waiting');
    back.socket.close();
    await until(async () => (await f!.relay.store.getConversation(v.conversationId))?.status === 'closed', 3000, 'the chat to close');
    const c = await f.relay.store.getConversation(v.conversationId);
    expect(c?.ticket).toMatch(/^PX-/);
    const token = await tokenOf(f.relay, 'ana');
    const t = (await (await api(`/api/agent/tickets/${c!.ticket}`, { token })).json()) as Ticket;
    expect(t.conversationId).toBe(v.conversationId);
  });
});

/** A real SMTP server on 127.0.0.1 collecting what it receives. */
async function smtpServer(): Promise<{ port: number; mails: { to: string[]; raw: string }[]; close(): Promise<void> }> {
  const mails: { to: string[]; raw: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    // No TLS in the test: nodemailer would refuse the server's self-signed certificate.
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Header and plain-text body of a received message (decodes quoted-printable and base64). */
function parseMail(raw: string): { header: (name: string) => string | undefined; text: string; contentType: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1];
  let body = raw.slice(split + 4);
  const encoding = header('Content-Transfer-Encoding')?.toLowerCase();
  if (encoding === 'quoted-printable') {
    body = Buffer.from(body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
  } else if (encoding === 'base64') {
    body = Buffer.from(body, 'base64').toString('utf8');
  }
  return { header, text: body.replace(/\r\n/g, '\n'), contentType: header('Content-Type') ?? '' };
}

describe('e-mail through SMTP', () => {
  it('mails the ticket reply and the chat transcript as plain text', async () => {
    const smtp = await smtpServer();
    try {
      f = await deskRelay([{ id: 'ana' }], { smtp: { host: '127.0.0.1', port: smtp.port, secure: false, from: 'Acme Support <support@acme.test>' } });
      // Ticket reply.
      const { number } = (await (await api('/api/tickets', { method: 'POST', json: newTicket })).json()) as { number: string };
      const token = await tokenOf(f.relay, 'ana');
      const reply = await api(`/api/agent/tickets/${number}/replies`, { method: 'POST', token, json: { text: 'Your deposit <b>arrived</b> this morning.' } });
      expect(reply.headers.get('x-parley-mailed')).toBe('true');
      await until(() => smtp.mails.length === 1, 3000, 'the reply e-mail');
      const mail = parseMail(smtp.mails[0]!.raw);
      expect(smtp.mails[0]!.to.map((a) => a.toLowerCase())).toEqual(['vera@example.test']);
      expect(mail.header('Subject')).toBe(`[${number}] Re: Missing deposit`);
      expect(mail.contentType).toMatch(/^text\/plain/);
      expect(mail.text).toContain('Your deposit <b>arrived</b> this morning.');
      expect(mail.text).toContain(number);

      // Transcript: messages yes, notes never, text stays text.
      const ana = await agentConn(f, 'ana');
      const v = await visitorConn(f, { lang: 'en' });
      await request(v.socket, { type: 'send', id: 'm1', conversationId: v.conversationId, text: 'Hello <script>alert(1)</script>' });
      await request(v.socket, { type: 'handoff', conversationId: v.conversationId });
      await request(ana.socket, { type: 'take', conversationId: v.conversationId });
      await request(ana.socket, { type: 'send', id: 'a1', conversationId: v.conversationId, text: 'Hi, I am Ana.' });
      await request(ana.socket, { type: 'note', conversationId: v.conversationId, text: 'SECRET NOTE' });
      await request(v.socket, { type: 'emailTranscript', conversationId: v.conversationId, email: 'vera@example.test' });
      await until(() => smtp.mails.length === 2, 3000, 'the transcript e-mail');
      const transcript = parseMail(smtp.mails[1]!.raw);
      expect(smtp.mails[1]!.to).toEqual(['vera@example.test']);
      expect(transcript.header('Subject')).toMatch(/^Your chat with Support/);
      expect(transcript.contentType).toMatch(/^text\/plain/);
      expect(transcript.text).toContain('You: Hello <script>alert(1)</script>');
      expect(transcript.text).toContain('Ana: Hi, I am Ana.');
      expect(transcript.text).not.toContain('SECRET NOTE');
      // Bounded per conversation.
      await request(v.socket, { type: 'emailTranscript', conversationId: v.conversationId, email: 'vera@example.test' });
      await request(v.socket, { type: 'emailTranscript', conversationId: v.conversationId, email: 'vera@example.test' });
      await expect(request(v.socket, { type: 'emailTranscript', conversationId: v.conversationId, email: 'vera@example.test' })).rejects.toMatchObject({ code: 'rate_limited' });
    } finally {
      await f?.close();
      f = null;
      await smtp.close();
    }
  });

  it('answers a transcript request with unavailable when the desk has no SMTP settings', async () => {
    f = await deskRelay([{ id: 'ana' }]);
    const v = await visitorConn(f, { lang: 'en' });
    await expect(request(v.socket, { type: 'emailTranscript', conversationId: v.conversationId, email: 'v@ex.test' })).rejects.toMatchObject({ code: 'unavailable' });
  });
});

describe('tickets from other origins', () => {
  it('answers the preflight and lets the widget read errors cross-origin', async () => {
    f = await deskRelay([{ id: 'ana' }]);
    const pre = await api('/api/tickets', { method: 'OPTIONS', headers: { origin: 'https://shop.test', 'access-control-request-method': 'POST' } } as RequestInit);
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-headers')).toContain('content-type');
    const miss = await api('/api/tickets/PX-00000000?email=a@b.co');
    expect(miss.status).toBe(404);
    expect(miss.headers.get('access-control-allow-origin')).toBe('*');
    expect((await api('/api/desk')).headers.get('access-control-allow-origin')).toBe('*');
  });
});
