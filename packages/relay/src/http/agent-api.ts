import { ErrorCode } from '@parley/protocol';
import type { Context, Hono } from 'hono';
import type { ConversationService } from '../conversations/index.js';
import type { DataRights } from '../data-rights/index.js';
import { RelayError } from '../errors.js';
import type { RelayPresence } from '../gateway/presence-beat.js';
import { apiError, ID } from './common.js';

/** What the agent-only HTTP endpoints need. */
export interface AgentApiOptions {
  service: ConversationService;
  dataRights: DataRights;
  presence: RelayPresence;
}

/**
 * Agent-only endpoints, each needing `Authorization: Bearer <token from POST /api/agent/login>`:
 * - `GET /api/agent/presence`: `{ agents: string[], visitors: number }`, online on any relay;
 * - `GET /api/agent/visitors/:id/export`: everything held about the visitor (JSON, as a download);
 * - `DELETE /api/agent/visitors/:id`: erase it, and close the visitor's live connections.
 *
 * @example
 * mountAgentApi(app, { service, dataRights, presence });
 * // curl -H "Authorization: Bearer $TOKEN" http://localhost:8787/api/agent/presence
 */
export function mountAgentApi<E extends object>(app: Hono<E>, options: AgentApiOptions): void {
  const { service, dataRights, presence } = options;

  /** The agent behind the bearer token, or the 401 response to send. */
  const agentOf = async (c: Context<E>) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer ([A-Za-z0-9_-]{16,200})$/.exec(header);
    if (!match) return c.json(apiError(ErrorCode.Unauthorized, 'log in first: send Authorization: Bearer <token from POST /api/agent/login>'), 401);
    try {
      return await service.agentFromToken(match[1]!);
    } catch (error) {
      if (error instanceof RelayError) return c.json(apiError(error.code, error.message), 401);
      throw error;
    }
  };
  const visitorIdOf = (c: Context<E>) => {
    const id = c.req.param('id') ?? '';
    // Visitor ids are the relay's own newId() (base64url); anything else cannot name a visitor.
    return ID.test(id) ? id : null;
  };
  const noStore = { 'Cache-Control': 'no-store' };

  app.get('/api/agent/presence', async (c) => {
    const agent = await agentOf(c);
    if (agent instanceof Response) return agent;
    const [agents, visitors] = await Promise.all([presence.agents.list(), presence.visitors.list()]);
    return c.json({ agents, visitors: visitors.length }, 200, noStore);
  });

  app.get('/api/agent/visitors/:id/export', async (c) => {
    const agent = await agentOf(c);
    if (agent instanceof Response) return agent;
    const id = visitorIdOf(c);
    if (id === null) return c.json(apiError(ErrorCode.BadFrame, 'a visitor id is 1-64 of A-Z a-z 0-9 _ -'), 400);
    const data = await dataRights.export(id);
    if (!data) return c.json(apiError(ErrorCode.NotFound, 'nothing is held about this visitor'), 404, noStore);
    return c.json(data, 200, { ...noStore, 'Content-Disposition': `attachment; filename="parley-visitor-${id}.json"` });
  });

  app.delete('/api/agent/visitors/:id', async (c) => {
    const agent = await agentOf(c);
    if (agent instanceof Response) return agent;
    const id = visitorIdOf(c);
    if (id === null) return c.json(apiError(ErrorCode.BadFrame, 'a visitor id is 1-64 of A-Z a-z 0-9 _ -'), 400);
    const erasure = await dataRights.erase(id);
    if (!erasure.found) return c.json(apiError(ErrorCode.NotFound, 'nothing is held about this visitor'), 404, noStore);
    return c.json(erasure, 200, noStore);
  });
}
