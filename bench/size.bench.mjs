// The widget's size figures in the bench table too (the budget check is `npm run size`).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const name = 'size';
export async function run() {
  const script = fileURLToPath(new URL('../scripts/size.mjs', import.meta.url));
  const out = execFileSync(process.execPath, [script, '--json'], { encoding: 'utf8' }).trim().split('\n');
  return JSON.parse(out[out.length - 1]);
}
