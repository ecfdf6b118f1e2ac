// Two ways to use Parley from npm, side by side.
import { createVisitorClient } from '@parley/client';
import { mountWidget } from '@parley/widget';
import { effect } from '@preact/signals-core';

const relay = document.querySelector<HTMLMetaElement>('meta[name="parley-relay"]')?.content ?? 'http://localhost:8787';

// 1. The ready-made widget: a launcher bubble and chat panel in a Shadow DOM.
const widget = mountWidget({ relay, lang: 'en', appVersion: '2.3.0', attributes: { plan: 'pro' } });
document.getElementById('open-chat')?.addEventListener('click', () => widget.open());

// 2. The headless client: the same conversation engine, your own UI. A separate storage
// key makes it a separate visitor from the widget above.
const chat = createVisitorClient({ relay, lang: 'en', storageKey: 'parley-headless:' });
const state = document.getElementById('headless-state')!;
const log = document.getElementById('headless-log')!;
effect(() => {
  state.textContent = chat.state.value;
});
effect(() => {
  log.replaceChildren(
    ...chat.transcript.value.map((item) => {
      const li = document.createElement('li');
      // Text only: message text is never parsed as HTML.
      li.textContent =
        item.kind === 'message'
          ? `${item.author.role}: ${item.text}${item.pending ? ' (sending)' : ''}`
          : item.kind === 'status'
            ? `[${item.status}]`
            : '';
      return li;
    }),
  );
});
const form = document.getElementById('headless-form') as HTMLFormElement;
const input = document.getElementById('headless-text') as HTMLInputElement;
form.addEventListener('submit', (e) => {
  e.preventDefault();
  if (input.value.trim()) chat.send(input.value);
  input.value = '';
});
chat.connect();
