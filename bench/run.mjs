#!/usr/bin/env node
// `npm run bench`: runs every bench/*.bench.mjs against the built packages and prints one
// table; `npm run bench -- --json` prints the same figures as one JSON object on the last
// line. Each bench file exports `name` and `async run(log)` returning nested figures,
// e.g. { transport: { websocket: { rttP50Ms: 1.2 } } }; `log` prints progress to stderr.
// `npm run bench -- transport` runs only the files whose name contains "transport".
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const json = args.includes('--json');
const filters = args.filter((a) => !a.startsWith('--'));
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

const log = (...m) => console.error('[bench]', ...m);
const figures = {};
function merge(into, from) {
  for (const [k, v] of Object.entries(from)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) merge((into[k] ??= {}), v);
    else into[k] = v;
  }
}
for (const file of files) {
  const mod = await import(pathToFileURL(join(here, file)).href);
  log(`${mod.name ?? file}…`);
  merge(figures, await mod.run(log));
}

/** Flatten to dotted keys for the table. */
function flat(obj, prefix = '') {
  return Object.entries(obj).flatMap(([k, v]) =>
    v && typeof v === 'object' && !Array.isArray(v) ? flat(v, `${prefix}${k}.`) : [[`${prefix}${k}`, v]],
  );
}
const rows = flat(figures);
const width = Math.max(10, ...rows.map(([k]) => k.length));
console.log(`${'figure'.padEnd(width)}  value`);
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${typeof v === 'number' ? +v.toFixed(3) : v}`);
if (json) console.log(JSON.stringify(figures));
