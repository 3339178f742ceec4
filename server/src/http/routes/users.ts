import { Router } from '@koa/router';
import { z } from 'zod';
import { UserRoleSchema } from '../../auth/roles.ts';
import type { TokenService } from '../../auth/TokenService.ts';
import type { UserAdmin } from '../../auth/UserAdmin.ts';
import { DEFAULT_SEED_PASSWORD } from '../../db/seed.ts';
import { authenticatedUser, requireAuth } from '../middleware/requireAuth.ts';
import { validateBody, validateParams, validateQuery } from '../validate.ts';

const password = z
  .string()
  .min(10, 'at least 10 characters')
  .max(1024)
  .refine((p) => p !== DEFAULT_SEED_PASSWORD, 'the public demo password cannot be given to an account');
const displayName = z.string().trim().min(1).max(128);

export const UserListQuerySchema = z
  .object({
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(50),
    role: UserRoleSchema.optional(),
  })
  .strict();
export const UserParamsSchema = z.object({ userId: z.uuid('not a user id') });
export const CreateUserBodySchema = z
  .object({
    email: z.string().trim().toLowerCase().pipe(z.email().max(254)),
    password,
    role: UserRoleSchema,
    displayName,
  })
  .strict();
export const UpdateUserBodySchema = z
  .object({ role: UserRoleSchema, displayName, password, disabled: z.boolean() })
  .partial()
  .strict()
  .refine(
    (changes) => Object.keys(changes).length > 0,
    'give at least one of role, displayName, password, disabled',
  );

/** Account administration for admins: GET/POST /api/users, PATCH /api/users/:userId. */
export function createUsersRouter(deps: { tokens: TokenService; users: UserAdmin }): Router {
  const router = new Router({ prefix: '/api/users' });
  const admin = requireAuth(deps.tokens, ['admin']);

  router.get('/', admin, async (ctx) => {
    ctx.body = await deps.users.list(validateQuery(ctx, UserListQuerySchema));
  });

  router.post('/', admin, async (ctx) => {
    const input = validateBody(ctx, CreateUserBodySchema);
    ctx.status = 201;
    ctx.body = await deps.users.create(authenticatedUser(ctx.state), input);
  });

  router.patch('/:userId', admin, async (ctx) => {
    const { userId } = validateParams(ctx, UserParamsSchema);
    const changes = validateBody(ctx, UpdateUserBodySchema);
    ctx.body = await deps.users.update(authenticatedUser(ctx.state), userId, changes);
  });

  return router;
}
