#!/usr/bin/env node
// Size budget of what every visitor of every site downloads: the script-tag loader alone,
// and the whole widget (the chat). The opt-in desk build is printed beside it, unbudgeted. parley-widget.js carries English only; every other language is a
// pack (parley-lang-xx.js) fetched when chosen, so a visitor downloads at most one pack:
//   whole widget = loader + parley-widget.js + the largest language pack.
// Run after a build: `npm run size`.
// `--json` makes the last line one JSON object for CI. Node built-ins only.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'packages/widget/dist');
const LOADER = join(dist, 'parley.js');
const FULL = join(dist, 'parley-widget.js');
const DESK = join(dist, 'parley-widget-desk.js');

/** Budgets in gzip bytes (zlib level 9). */
const BUDGET = { loader: 2048, widget: 25600 };

function read(file) {
  try {
    return readFileSync(file);
  } catch {
    console.error(`size: ${relative(root, file)} is missing. Build first: BUILD_ONLY=protocol,client,widget npm run build`);
    process.exit(1);
  }
}

function measure(buf) {
  return {
    raw: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: buf.length,
      },
    }).length,
  };
}

const loaderBuf = read(LOADER);
const fullBuf = read(FULL);
const packFiles = readdirSync(dist).filter((f) => /^parley-lang-[a-z]+\.js$/.test(f));
if (!packFiles.length) {
  console.error('size: no language packs (parley-lang-xx.js) in packages/widget/dist. Build first: BUILD_ONLY=protocol,client,widget npm run build');
  process.exit(1);
}
// The widget total is what a visitor who opens the chat downloads: up to three files, each
// compressed on its own, as a server sends them. The worst case counts the largest pack.
const loader = measure(loaderBuf);
const full = measure(fullBuf);
const packs = packFiles.map((f) => ({ file: f, ...measure(read(join(dist, f))) })).sort((a, b) => b.gzip - a.gzip);
const pack = packs[0];
const widget = {
  raw: loader.raw + full.raw + pack.raw,
  gzip: loader.gzip + full.gzip + pack.gzip,
  brotli: loader.brotli + full.brotli + pack.brotli,
};

// The desk build (data-desk: the support desk's screens on top of the chat) is opt-in and
// printed beside the budgeted default; it has no budget of its own (see README, Size).
const deskPacks = readdirSync(dist)
  .filter((f) => /^parley-lang-[a-z]+-desk\.js$/.test(f))
  .map((f) => ({ file: f, ...measure(read(join(dist, f))) }))
  .sort((a, b) => b.gzip - a.gzip);
if (!deskPacks.length) {
  console.error('size: no desk language packs (parley-lang-xx-desk.js) in packages/widget/dist. Build first: BUILD_ONLY=protocol,client,widget npm run build');
  process.exit(1);
}
const deskFull = measure(read(DESK));
const deskPack = deskPacks[0];
const desk = {
  raw: loader.raw + deskFull.raw + deskPack.raw,
  gzip: loader.gzip + deskFull.gzip + deskPack.gzip,
  brotli: loader.brotli + deskFull.brotli + deskPack.brotli,
};

const kb = (n) => `${(n / 1024).toFixed(2)} KB`;
const rows = [
  ['', 'raw', 'gzip', 'brotli', 'gzip budget', ''],
  ['loader (parley.js)', kb(loader.raw), kb(loader.gzip), kb(loader.brotli), kb(BUDGET.loader), loader.gzip <= BUDGET.loader ? 'ok' : 'OVER'],
  ['  parley-widget.js (English built in)', kb(full.raw), kb(full.gzip), kb(full.brotli), '', ''],
  [`  largest language pack (${pack.file})`, kb(pack.raw), kb(pack.gzip), kb(pack.brotli), '', ''],
  ['widget (loader + parley-widget.js + largest pack)', kb(widget.raw), kb(widget.gzip), kb(widget.brotli), kb(BUDGET.widget), widget.gzip <= BUDGET.widget ? 'ok' : 'OVER'],
  ['  parley-widget-desk.js (opt-in: data-desk)', kb(deskFull.raw), kb(deskFull.gzip), kb(deskFull.brotli), '', ''],
  [`  largest desk language pack (${deskPack.file})`, kb(deskPack.raw), kb(deskPack.gzip), kb(deskPack.brotli), '', ''],
  ['widget with desk UI (loader + parley-widget-desk.js + largest desk pack)', kb(desk.raw), kb(desk.gzip), kb(desk.brotli), 'none', desk.gzip <= BUDGET.widget ? '' : `${kb(desk.gzip - BUDGET.widget)} over 25 KB`],
];
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const r of rows) console.log(r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));

const over = [];
if (loader.gzip > BUDGET.loader) over.push(`loader is ${loader.gzip} bytes gzip, budget ${BUDGET.loader} (${loader.gzip - BUDGET.loader} over)`);
if (widget.gzip > BUDGET.widget) over.push(`widget is ${widget.gzip} bytes gzip, budget ${BUDGET.widget} (${widget.gzip - BUDGET.widget} over)`);
for (const line of over) console.error(`size: OVER BUDGET: ${line}`);
console.log(`Rule: whole widget = loader + parley-widget.js + the largest of ${packs.length} language packs (a visitor loads at most one).`);

if (process.argv.includes('--json')) console.log(JSON.stringify({ size: { loader, widget, desk } }));
process.exit(over.length ? 1 : 0);
