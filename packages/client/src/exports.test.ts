import { expect, it } from 'vitest';
import * as api from './index.js';

// The public surface is explicit: adding or removing an export is a decision, not an accident.
// The fake relay (src/testing) is deliberately absent.
it('exports exactly the documented runtime names', () => {
  expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
    [
      "ParleyError",
      "addTicketMessage",
      "autoDefaults",
      "autoTransport",
      "backoffDefaults",
      "backoffDelay",
      "createAgentClient",
      "createTicket",
      "createVisitorChat",
      "createVisitorClient",
      "fetchDesk",
      "fetchHelpArticle",
      "fetchHelpIndex",
      "getTicket",
      "heartbeatDefaults",
      "listTickets",
      "loginAgent",
      "lookupTicket",
      "pollingTransport",
      "replyTicket",
      "searchHelp",
      "setTicketStatus",
      "websocketTransport",
    ]
  `);
});
