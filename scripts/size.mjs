#!/usr/bin/env node
// Size budget of what every visitor of every site downloads: the script-tag loader alone,
// and the whole widget (loader + full widget). Run after a build: `npm run size`.
// `--json` makes the last line one JSON object for CI. Node built-ins only.
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'packages/widget/dist');
const LOADER = join(dist, 'parley.js');
const FULL = join(dist, 'parley-widget.js');

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
// The widget total is what a visitor who opens the chat downloads: two files, each
// compressed on its own, as a server sends them.
const loader = measure(loaderBuf);
const full = measure(fullBuf);
const widget = {
  raw: loader.raw + full.raw,
  gzip: loader.gzip + full.gzip,
  brotli: loader.brotli + full.brotli,
};

const kb = (n) => `${(n / 1024).toFixed(2)} KB`;
const rows = [
  ['', 'raw', 'gzip', 'brotli', 'gzip budget', ''],
  ['loader (parley.js)', kb(loader.raw), kb(loader.gzip), kb(loader.brotli), kb(BUDGET.loader), loader.gzip <= BUDGET.loader ? 'ok' : 'OVER'],
  ['widget (parley.js + parley-widget.js)', kb(widget.raw), kb(widget.gzip), kb(widget.brotli), kb(BUDGET.widget), widget.gzip <= BUDGET.widget ? 'ok' : 'OVER'],
];
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const r of rows) console.log(r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));

const over = [];
if (loader.gzip > BUDGET.loader) over.push(`loader is ${loader.gzip} bytes gzip, budget ${BUDGET.loader} (${loader.gzip - BUDGET.loader} over)`);
if (widget.gzip > BUDGET.widget) over.push(`widget is ${widget.gzip} bytes gzip, budget ${BUDGET.widget} (${widget.gzip - BUDGET.widget} over)`);
for (const line of over) console.error(`size: OVER BUDGET: ${line}`);

if (process.argv.includes('--json')) console.log(JSON.stringify({ size: { loader, widget } }));
process.exit(over.length ? 1 : 0);
