/** Tickets: numbers, the ticket service, and the mailer that sends replies and transcripts. */
export { TicketService, transcriptText, toTicket } from './service.js';
export type { TicketServiceOptions } from './service.js';
export { SmtpMailer, oneLine } from './mailer.js';
export type { Mailer, Mail } from './mailer.js';
export { newTicketNumber, normaliseTicketNumber } from './numbers.js';
