import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * The folder of an installed package, found through its `package.json` export. Works the
 * same from src/ (tests) and dist/ (built), where `import.meta.url` sits at different depths.
 */
export function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

/** The relay package's own folder (holds kb/ and static/). */
export const relayDir = (): string => packageDir('@parley/relay');

/** The knowledge base shipped with the relay. */
export const defaultKbPath = (): string => join(relayDir(), 'kb', 'default.json');
