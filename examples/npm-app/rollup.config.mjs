// Builds the example app the way an app developer would: @parley/* come from their
// published entry points (dist + types), bundled with the app by node-resolve.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

export default {
  input: 'src/main.ts',
  output: { file: 'dist/app.js', format: 'es', plugins: [terser()] },
  plugins: [
    nodeResolve({ browser: true }),
    typescript({ tsconfig: './tsconfig.json', compilerOptions: { customConditions: [] } }),
  ],
};
