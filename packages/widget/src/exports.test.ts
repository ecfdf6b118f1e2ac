import { expect, it } from 'vitest';
import * as widget from './index.js';

it('exports exactly the public runtime API', () => {
  expect(Object.keys(widget).sort()).toMatchInlineSnapshot(`
    [
      "LANGS",
      "LANG_NAMES",
      "STRINGS",
      "VERSION",
      "buildContext",
      "format",
      "matchLang",
      "mountWidget",
      "stringsFor",
    ]
  `);
});
