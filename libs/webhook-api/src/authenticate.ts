import type { Principal } from '@wms-webhooks/access';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiDeps } from './api-deps';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
}

function unauthorized(reply: FastifyReply, message: string) {
  return reply.code(401).header('www-authenticate', 'Bearer realm="wms-webhooks"').send({ error: message });
}

/** Every /api route needs `Authorization: Bearer <key>` naming a key that is not revoked. */
export function registerAuthentication(app: FastifyInstance, deps: ApiDeps) {
  app.decorateRequest('principal', null as never);
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    // The matched route decides, so no spelling of a path reaches an /api handler unauthenticated.
    const route = request.routeOptions.url ?? '';
    if (!route.startsWith('/api/') && !request.url.startsWith('/api')) return;
    const header = request.headers.authorization;
    if (!header) return unauthorized(reply, 'authentication required: send Authorization: Bearer <api key>');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) return unauthorized(reply, 'the Authorization header must be "Bearer <api key>"');
    const principal = await deps.apiKeys.authenticate(match[1] as string);
    if (!principal) return unauthorized(reply, 'the API key is unknown or revoked');
    request.principal = principal;
  });
}

export function forbidden(reply: FastifyReply, reason: string) {
  return reply.code(403).send({ error: `forbidden: ${reason}` });
}
