import type { Model } from '../model.js';
import { Launcher } from './Launcher.js';
import { Panel } from './Panel.js';
import { watch } from './watch.js';

/** The whole widget: the launcher bubble and, while open, the chat panel. */
export const App = watch(({ m }: { m: Model }) => {
  return (
    <>
      {m.launcher && <Launcher m={m} />}
      {m.open.value && <Panel m={m} />}
    </>
  );
});
