// Browser entry of dist/console.js (IIFE, Preact and the client bundled), served by the relay
// at /agent inside `<div id="app"></div><script src="/agent/console.js"></script>`.
import { createAgentClient, loginAgent } from '@parley/client';
import { mountConsole } from './mount.js';

function start() {
  mountConsole({ login: loginAgent, createClient: createAgentClient });
}

// The relay's shell loads the script after #app, but a page that puts it in <head> has no
// body yet.
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
else start();
