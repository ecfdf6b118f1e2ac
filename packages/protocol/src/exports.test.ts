import { expect, it } from 'vitest';
import * as api from './index.js';

// The public surface is explicit: adding or removing an export is a decision, not an accident.
it('exports exactly the documented runtime names', () => {
  expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
    [
      "AckFrameSchema",
      "AgentLoginRequestSchema",
      "AgentRefSchema",
      "ArticleRefSchema",
      "AuthorSchema",
      "ClientFrameSchema",
      "CloseCode",
      "CloseFrameSchema",
      "ConversationEventSchema",
      "ConversationFrameSchema",
      "ConversationStatusSchema",
      "ConversationSummarySchema",
      "ErrorCode",
      "ErrorFrameSchema",
      "EventFrameSchema",
      "HandoffFrameSchema",
      "HelloFrameSchema",
      "LIMITS",
      "MessageEventSchema",
      "PROTOCOL_VERSION",
      "PingFrameSchema",
      "PongFrameSchema",
      "QueueFrameSchema",
      "RoleSchema",
      "SendFrameSchema",
      "ServerFrameSchema",
      "StartFrameSchema",
      "StatusEventSchema",
      "SubscribeFrameSchema",
      "TakeFrameSchema",
      "UnsubscribeFrameSchema",
      "VisitorContextSchema",
      "WelcomeFrameSchema",
      "decodeClientFrame",
      "decodeServerFrame",
      "encode",
      "isTerminalClose",
    ]
  `);
});
