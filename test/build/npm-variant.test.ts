// The npm widget (packages/widget/dist/index.js, built by `npm test` first) carries the desk's
// screens; an app whose bundler replaces __PARLEY_DESK__ with false gets the chat alone, as
// the README says. Bundled here with rollup the way an app would.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';
import { describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../../packages/widget/dist/index.js', import.meta.url));

async function bundle(desk?: boolean): Promise<string> {
  const variant = desk === undefined ? [] : [replace({ preventAssignment: true, values: { __PARLEY_DESK__: String(desk) } })];
  const build = await rollup({ input: entry, plugins: [...variant, nodeResolve({ browser: true })], onwarn: () => {} });
  const { output } = await build.generate({ format: 'es' });
  await build.close();
  return output[0].code;
}

if (!existsSync(entry)) {
  console.warn('[build tests] left out: packages/widget/dist/index.js is not built (npm test builds first)');
  if (process.env.CI) throw new Error('CI runs npm test, which builds first: packages/widget/dist/index.js must exist');
}

describe.runIf(existsSync(entry))('the npm widget build variants', () => {
  it('has the desk screens by default, and none of their code or strings with __PARLEY_DESK__ = false', async () => {
    const [full, chat] = await Promise.all([bundle(), bundle(false)]);
    for (const code of [full, chat]) expect(code).toContain('Talk to a person');
    // Desk strings, and the client's desk calls.
    for (const marker of ['Leave a message', 'Check a ticket', 'createTicket', 'How was your chat?', 'Help articles', 'Did this help?', '/api/help']) {
      expect(full).toContain(marker);
      expect(chat).not.toContain(marker);
    }
    expect(chat.length).toBeLessThan(full.length * 0.9);
  }, 60_000);
});
