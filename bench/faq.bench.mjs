// FAQ bot speed and size: the time of one decision (FaqBot.decide, what the relay runs for
// every visitor message while the bot has the conversation), on the shipped knowledge base
// and on a generated 5,000-article one, plus the index's build time and memory (heapMB: JS
// heap plus the typed arrays outside it, after a full GC, with the bot alive).
//
// The small base is ../shared/faq/kb.json when it exists (the reference ~70-article base),
// else the relay's own kb/default.json; the queries are ../shared/faq/dev-queries.json when it
// exists, else the relay's kb/queries.json. The large base is made from the small one: each
// generated article takes a real article's text in every language and adds words of its own
// (a product name, a coin, a region), so the index has 5,000 distinct articles with realistic
// vocabulary and shared terms, and the queries hit many near-duplicates, the hard case.
//
// Peer, in the same run: MiniSearch (BM25+, the library the bot was first built on) over the
// same documents (one per article and language), with the bot's own tokenizer, field boosts
// and its fuzzy search for typos; timed on search alone, which is less than a decision.
// The ratio is Parley's decision p99 over MiniSearch's search p99.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import MiniSearch from 'minisearch';
import { FaqBot, faqTerms, parseKnowledgeBase } from '../packages/relay/dist/index.js';

export const name = 'faq';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SHARED_KB = join(root, '../shared/faq/kb.json');
const SHARED_QUERIES = join(root, '../shared/faq/dev-queries.json');
const OWN_KB = join(root, 'packages/relay/kb/default.json');
const OWN_QUERIES = join(root, 'packages/relay/kb/queries.json');
const LARGE = Number(process.env.FAQ_LARGE_ARTICLES ?? 5000);
const ROUNDS = 5;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** A seeded PRNG (mulberry32), so every run generates the same base. */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(base, count) {
  const rand = random(42);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const coins = ['BTC', 'ETH', 'USDT', 'USDC', 'SOL', 'XRP', 'TRX', 'DOGE', 'ADA', 'TON', 'BNB', 'LTC', 'DOT', 'AVAX', 'ATOM', 'XLM'];
  const products = ['spot', 'futures', 'margin', 'earn', 'launchpad', 'card', 'p2p', 'copy trading', 'options', 'loans', 'pay', 'nft'];
  const regions = ['EU', 'UK', 'US', 'Brazil', 'Turkey', 'Japan', 'Korea', 'Vietnam', 'Nigeria', 'Mexico', 'Ukraine', 'India'];
  const articles = [];
  for (let i = 0; i < count; i++) {
    const src = base.articles[i % base.articles.length];
    const tag = `${pick(coins)} ${pick(products)} ${pick(regions)} v${i}`;
    const each = (record, f) => Object.fromEntries(Object.entries(record).map(([lang, value]) => [lang, f(value, lang)]));
    articles.push({
      id: `${src.id}-${i}`,
      category: src.category,
      title: each(src.title, (t) => `${t} (${tag})`.slice(0, 200)),
      body: each(src.body, (b) => `${tag}. ${b}`),
      questions: each(src.questions, (qs) => qs.map((q) => `${q} ${pick(coins)}`)),
      keywords: each(src.keywords, (ks) => [...ks, pick(coins).toLowerCase(), `${pick(products)}-${i}`]),
    });
  }
  return { ...base, articles };
}

function timeDecisions(bot, queries) {
  const times = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const { q, lang } of queries) {
      const t0 = performance.now();
      bot.decide(q, lang);
      times.push(performance.now() - t0);
    }
  }
  // The first round warms the JIT and is not counted.
  return times.slice(queries.length).sort((a, b) => a - b);
}

function miniSearch(kb, queries) {
  const docs = kb.articles.flatMap((a) =>
    Object.keys(a.title).map((lang) => ({
      id: `${a.id}\u0000${lang}`,
      title: a.title[lang] ?? '',
      questions: (a.questions[lang] ?? []).join('\n'),
      keywords: (a.keywords[lang] ?? []).join('\n'),
      body: a.body[lang] ?? '',
    })),
  );
  gc();
  const t0 = performance.now();
  const index = new MiniSearch({
    fields: ['title', 'questions', 'keywords', 'body'],
    tokenize: faqTerms,
    processTerm: (t) => t,
    searchOptions: { boost: { keywords: 3, title: 2, questions: 2, body: 0.6 }, fuzzy: (t) => (t.length >= 5 ? 0.2 : false) },
  });
  index.addAll(docs);
  const buildMs = performance.now() - t0;
  const times = [];
  for (let round = 0; round < 3; round++) {
    for (const { q } of queries) {
      const t = performance.now();
      index.search(q);
      times.push(performance.now() - t);
    }
  }
  const sorted = times.slice(queries.length).sort((a, b) => a - b);
  return { buildMs: +buildMs.toFixed(1), p50Ms: +quantile(sorted, 0.5).toFixed(3), p99Ms: +quantile(sorted, 0.99).toFixed(3) };
}

function measure(kb, queries) {
  // Heap and external memory: the index keeps its postings in typed arrays, outside the JS heap.
  const used = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.external;
  };
  gc();
  const before = used();
  const t0 = performance.now();
  const bot = new FaqBot({ kb });
  const buildMs = performance.now() - t0;
  gc();
  const heapMB = (used() - before) / 2 ** 20;
  const times = timeDecisions(bot, queries);
  return {
    articles: kb.articles.length,
    buildMs: +buildMs.toFixed(1),
    heapMB: +heapMB.toFixed(1),
    p50Ms: +quantile(times, 0.5).toFixed(3),
    p99Ms: +quantile(times, 0.99).toFixed(3),
    maxMs: +times[times.length - 1].toFixed(3),
  };
}

export async function run(log) {
  const kbFile = existsSync(SHARED_KB) ? SHARED_KB : OWN_KB;
  const queriesFile = existsSync(SHARED_QUERIES) ? SHARED_QUERIES : OWN_QUERIES;
  log(`faq: knowledge base ${kbFile}, queries ${queriesFile}`);
  const kb = parseKnowledgeBase(readJson(kbFile), kbFile);
  const queries = readJson(queriesFile);
  const small = measure(kb, queries);
  log(`faq: generating ${LARGE} articles`);
  const big = parseKnowledgeBase(generate(kb, LARGE), 'generated');
  const large = measure(big, queries);
  log('faq: the same searches in MiniSearch');
  const peerSmall = miniSearch(kb, queries);
  const peerLarge = miniSearch(big, queries);
  const ratio = (a, b) => +(a / b).toFixed(3);
  return {
    faq: {
      queries: queries.length,
      small,
      large,
      miniSearch: { small: peerSmall, large: peerLarge },
      p99VsMiniSearch: { small: ratio(small.p99Ms, peerSmall.p99Ms), large: ratio(large.p99Ms, peerLarge.p99Ms) },
    },
  };
}
