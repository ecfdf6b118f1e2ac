#!/usr/bin/env node
// CI guard: the store, bus and multi-relay suites need PostgreSQL and Redis. Check both
// before any test runs and fail with one clear message, rather than somewhere in the test log.
import pg from 'pg';
import { createClient } from '@redis/client';

const pgUrl = process.env.PARLEY_TEST_PG || 'postgres://postgres@127.0.0.1:5432/test';
const redisUrl = process.env.PARLEY_TEST_REDIS || 'redis://127.0.0.1:6379';
const problems = [];

try {
  const client = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  await client.connect();
  await client.query('SELECT 1');
  await client.end();
} catch (error) {
  problems.push(`PostgreSQL at ${pgUrl.replace(/:[^:@/]+@/, ':***@')} (PARLEY_TEST_PG): ${error.message}`);
}
try {
  const client = createClient({ url: redisUrl, socket: { connectTimeout: 3000, reconnectStrategy: false } });
  client.on('error', () => {});
  await client.connect();
  await client.ping();
  client.destroy();
} catch (error) {
  problems.push(`Redis at ${redisUrl} (PARLEY_TEST_REDIS): ${error.message}`);
}

if (problems.length > 0) {
  console.error('\n!! CI needs PostgreSQL and Redis; not reachable:');
  for (const p of problems) console.error(`!!   ${p}`);
  console.error('!! The PostgreSQL store, Redis bus and multi-relay suites cannot run, so CI fails here.\n');
  process.exit(1);
}
console.log(`PostgreSQL and Redis reachable (${pgUrl.replace(/:[^:@/]+@/, ':***@')}, ${redisUrl})`);
