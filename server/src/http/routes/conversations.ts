import { Router } from '@koa/router';
import { z } from 'zod';
import { STAFF_ROLES } from '../../auth/roles.ts';
import type { TokenService } from '../../auth/TokenService.ts';
import type { TextConversations } from '../../conversations/TextConversations.ts';
import { authenticatedUser, requireAuth } from '../middleware/requireAuth.ts';
import { validateBody, validateParams } from '../validate.ts';

export const ConversationAgentParamsSchema = z.object({ agentId: z.string().min(1).max(64) });
export const ConversationParamsSchema = z.object({ conversationId: z.uuid('not a conversation id') });
export const ConversationMessageBodySchema = z.object({ text: z.string().trim().min(1).max(2000) }).strict();

/**
 * Text-only conversations for testing an agent without audio: POST /api/agent-configs/:agentId/conversations
 * (returns the greeting), POST /api/conversations/:conversationId/messages {text}, DELETE the conversation.
 */
export function createConversationsRouter(deps: {
  tokens: TokenService;
  conversations: TextConversations;
}): Router {
  const router = new Router({ prefix: '/api' });
  const staff = requireAuth(deps.tokens, STAFF_ROLES);
  router.post('/agent-configs/:agentId/conversations', staff, async (ctx) => {
    const { agentId } = validateParams(ctx, ConversationAgentParamsSchema);
    const user = authenticatedUser(ctx.state);
    ctx.body = await deps.conversations.start(agentId, user.id);
    ctx.status = 201;
  });

  router.post('/conversations/:conversationId/messages', staff, async (ctx) => {
    const { conversationId } = validateParams(ctx, ConversationParamsSchema);
    const { text } = validateBody(ctx, ConversationMessageBodySchema);
    const user = authenticatedUser(ctx.state);
    ctx.body = await deps.conversations.send(conversationId, user.id, text);
  });

  router.delete('/conversations/:conversationId', staff, async (ctx) => {
    const { conversationId } = validateParams(ctx, ConversationParamsSchema);
    const user = authenticatedUser(ctx.state);
    deps.conversations.end(conversationId, user.id);
    ctx.status = 204;
  });

  return router;
}
