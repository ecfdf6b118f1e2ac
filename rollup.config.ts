import { nodeResolve } from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { resolve } from 'node:path';
import type { RollupOptions } from 'rollup';

// One build for the whole repo, in dependency order: each library's dist (JS + .d.ts)
// exists before the packages that import it are built, so cross-package imports resolve
// to dist here (tests resolve them to src through the "source" condition instead).

const pkg = (name: string) => `packages/${name}`;
const abs = (path: string) => resolve(import.meta.dirname, path);

/** TypeScript for one package; `declarations` also writes its .d.ts files into dist. */
function ts(name: string, declarations: boolean) {
  return typescript({
    tsconfig: `${pkg(name)}/tsconfig.json`,
    // Resolve other @parley packages to their built types, not their sources, so each
    // package's declarations stay inside its own rootDir.
    compilerOptions: {
      customConditions: [],
      declaration: declarations,
      declarationMap: false,
      ...(declarations ? { declarationDir: abs(`${pkg(name)}/dist`), rootDir: abs(`${pkg(name)}/src`) } : {}),
      outDir: abs(`${pkg(name)}/dist`),
      sourceMap: false,
    },
    noEmitOnError: true,
  });
}

const browser = () => nodeResolve({ browser: true, exportConditions: ['browser', 'module', 'import', 'default'] });
const minify = () =>
  // unsafe_arrows: functions that never use `this`, `arguments` or `new.target` become arrows
  // (none of ours is a constructor); keep_fargs: false drops unused trailing parameters
  // (nothing reads `fn.length`). Both are checked by the browser tests on the built files.
  terser({
    ecma: 2020,
    module: false,
    compress: { passes: 3, pure_getters: true, unsafe_arrows: true, keep_fargs: false },
    format: { comments: false },
  });

/** An ESM library build with its dependencies left as imports. */
function library(name: string, input: Record<string, string> = { index: 'src/index.ts' }): RollupOptions {
  return {
    input: Object.fromEntries(Object.entries(input).map(([k, v]) => [k, `${pkg(name)}/${v}`])),
    output: { dir: `${pkg(name)}/dist`, format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
    // Everything from node_modules (and node built-ins) stays external.
    external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0'),
    plugins: [ts(name, true)],
  };
}

/**
 * A self-contained minified browser file: everything, Preact included, in one script.
 * `desk` sets the widget's build variant (packages/widget/src/variant.ts): `false` makes the
 * chat-only script, whose desk code is then unreachable and left out.
 */
function iife(name: string, input: string, file: string, globalName?: string, desk?: boolean): RollupOptions {
  const variant = desk === undefined ? [] : [replace({ preventAssignment: true, values: { __PARLEY_DESK__: String(desk) } })];
  // A .js input is the package's own library build (already compiled): no TypeScript pass.
  const compile = input.endsWith('.js') ? [] : [ts(name, false)];
  return {
    input: `${pkg(name)}/${input}`,
    output: { file: `${pkg(name)}/dist/${file}`, format: 'iife', name: globalName, plugins: [minify()] },
    plugins: [...variant, browser(), ...compile],
  };
}

const PACK_LANGS = ['zh', 'es', 'ru', 'ja', 'ko'] as const;

const all: [pkg: string, options: RollupOptions][] = [
  ['protocol', library('protocol')],
  ['client', library('client')],
  // The language packs' entries are compiled with the library, so their ten script builds
  // below start from JavaScript (a TypeScript pass per pack took most of the build's time).
  ['widget', library('widget', { index: 'src/index.ts', ...Object.fromEntries(PACK_LANGS.map((l) => [`lang/pack-${l}`, `src/lang/pack-${l}.ts`])) })],
  ['widget', iife('widget', 'src/loader/entry.ts', 'parley.js')],
  // Two script-tag widgets: the chat alone (parley-widget.js, inside the size budget) and the
  // chat with the support desk's UI (parley-widget-desk.js); the loader fetches one of them.
  ['widget', iife('widget', 'src/browser-entry.ts', 'parley-widget.js', undefined, false)],
  ['widget', iife('widget', 'src/browser-entry.ts', 'parley-widget-desk.js', undefined, true)],
  // Each ships English only; each other language is its own small file (with or without the
  // desk's strings), fetched when that language is chosen or detected.
  ...PACK_LANGS.flatMap((lang): [string, RollupOptions][] => [
    ['widget', iife('widget', `dist/lang/pack-${lang}.js`, `parley-lang-${lang}.js`, undefined, false)],
    ['widget', iife('widget', `dist/lang/pack-${lang}.js`, `parley-lang-${lang}-desk.js`, undefined, true)],
  ]),
  ['agent-console', iife('agent-console', 'src/main.tsx', 'console.js')],
  ['relay', library('relay', { index: 'src/index.ts', cli: 'src/cli.ts' })],
];

// BUILD_ONLY=protocol,client,widget builds a subset (each still needs its dependencies' dist).
const only = process.env.BUILD_ONLY?.split(',').map((s) => s.trim());
export default all.filter(([name]) => !only || only.includes(name)).map(([, options]) => options);
