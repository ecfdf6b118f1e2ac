import type { Model } from '../model.js';
import { Launcher } from './Launcher.js';
import { Panel } from './Panel.js';

/** The whole widget: the launcher bubble and, while open, the chat panel. */
export function App({ m }: { m: Model }) {
  return (
    <>
      {m.launcher && <Launcher m={m} />}
      {m.open.value && <Panel m={m} />}
    </>
  );
}
