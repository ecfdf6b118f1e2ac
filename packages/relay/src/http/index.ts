/** The relay's HTTP routes (demo page, scripts, agent console, health, login). */
export { createHttpApp } from './app.js';
export type { HttpAppOptions, StaticDirs } from './app.js';
