/**
 * @parley/agent-console: the agent UI the relay serves at /agent. The browser bundle is
 * dist/console.js (entry src/main.tsx); these exports let a desk embed or test the console.
 */
export { ConsoleApp } from './app.js';
export type { ConsoleAppProps, LoginFn, CreateClientFn, IntervalTimers } from './app.js';
export { mountConsole, relayFromWindow } from './mount.js';
export type { MountOptions } from './mount.js';
export { strings } from './strings.js';
export type { Strings } from './strings.js';
export { CONSOLE_CSS } from './styles.js';
export { httpTickets } from './tickets.js';
export type { TicketApi } from './tickets.js';
