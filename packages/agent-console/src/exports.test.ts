import { expect, it } from 'vitest';
import * as api from './index.js';

it('exports exactly the public surface', () => {
  expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
    [
      "CONSOLE_CSS",
      "ConsoleApp",
      "httpTickets",
      "mountConsole",
      "relayFromWindow",
      "strings",
    ]
  `);
});
