// SQLite store figures: how long the relay's event loop spends in one append, with the
// write-ahead log checkpointed by a worker thread (the default) and, in the same run on the
// same workload, by SQLite itself on the appending thread (`checkpoint: 'inline'`, what the
// store did before 2026-12-07).
//
// Workload: CONVERSATIONS conversations on a fresh file in the temp folder, RATE messages a
// second for SECONDS seconds (each ms, the appends due by then), after a WARMUP_S second
// warm-up. Each append is timed on its own; the percentiles are over all of them. The modes
// alternate for ROUNDS rounds, each on a new file; each figure is the median over rounds.
//
// Run: npm run bench -- store   (add --json for one JSON line)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const name = 'store';

const CONVERSATIONS = 1000;
const RATE = Number(process.env.BENCH_STORE_RATE ?? 1000);
const SECONDS = Number(process.env.BENCH_STORE_SECONDS ?? 5);
const WARMUP_S = 1;
const ROUNDS = Number(process.env.BENCH_STORE_ROUNDS ?? 3);
const TEXT = 'Where is my deposit? I sent it an hour ago.';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function round(SqliteStore, checkpoint) {
  const dir = mkdtempSync(join(tmpdir(), 'parley-store-bench-'));
  const store = new SqliteStore({ path: join(dir, 'relay.sqlite'), checkpoint });
  try {
    for (let i = 0; i < CONVERSATIONS; i++) {
      await store.createVisitor({ id: `v${i}`, tokenHash: `h${i}`, createdAt: 1 });
      await store.createConversation({ id: `c${i}`, visitorId: `v${i}`, at: 1 });
    }
    const total = RATE * (WARMUP_S + SECONDS);
    const skip = RATE * WARMUP_S;
    const ms = new Float64Array(total - skip);
    const start = performance.now();
    for (let n = 0; n < total; ) {
      const due = Math.min(total, Math.floor(((performance.now() - start) * RATE) / 1000));
      for (; n < due; n++) {
        const i = n % CONVERSATIONS;
        const t = performance.now();
        const r = await store.appendEvent(`c${i}`, { kind: 'message', author: { role: 'visitor', id: `v${i}` }, text: TEXT, clientId: `m${n}` }, { at: Date.now(), visitorId: `v${i}` });
        if (n >= skip) ms[n - skip] = performance.now() - t;
        if (!r.ok) throw new Error(`append refused: ${r.reason}`);
      }
      await sleep(1);
    }
    const sorted = Array.from(ms).sort((a, b) => a - b);
    return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), p999: percentile(sorted, 0.999), max: sorted.at(-1), over2: sorted.filter((x) => x > 2).length, n: sorted.length };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(log) {
  const { SqliteStore } = await import('@parley/relay');
  const results = { background: [], inline: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const mode of r % 2 ? ['inline', 'background'] : ['background', 'inline']) {
      const x = await round(SqliteStore, mode);
      results[mode].push(x);
      log(`store ${mode} round ${r + 1}: ${x.n} appends, p50 ${x.p50.toFixed(3)} ms, p99 ${x.p99.toFixed(3)}, p99.9 ${x.p999.toFixed(3)}, max ${x.max.toFixed(2)}; ${x.over2} over 2 ms`);
    }
  }
  const round3 = (x) => Math.round(x * 1000) / 1000;
  const figures = (mode) => {
    const xs = results[mode];
    const m = (k) => round3(median(xs.map((x) => x[k])));
    return { appendP50Ms: m('p50'), appendP99Ms: m('p99'), appendP999Ms: m('p999'), appendMaxMs: m('max'), appendsOver2Ms: m('over2') };
  };
  const background = figures('background');
  const inline = figures('inline');
  return {
    store: {
      sqlite: {
        background,
        inline,
        ratios: { p999BackgroundVsInline: round3(background.appendP999Ms / inline.appendP999Ms), maxBackgroundVsInline: round3(background.appendMaxMs / inline.appendMaxMs) },
      },
    },
  };
}
