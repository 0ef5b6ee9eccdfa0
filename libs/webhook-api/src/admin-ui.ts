import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

const securityHeaders = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/**
 * The built admin UI at /. The page itself holds nothing secret: it asks for an API key and calls /api
 * with it. Until the UI is built, / says how to build it instead of answering 404.
 */
export async function registerAdminUi(app: FastifyInstance, dir: string | undefined) {
  app.addHook('onSend', async (request, reply) => {
    if (!request.url.startsWith('/api/')) reply.headers(securityHeaders);
  });
  if (!dir || !existsSync(join(dir, 'index.html'))) {
    app.get('/', async (_request, reply) =>
      reply
        .code(503)
        .type('text/plain')
        .send('The admin UI is not built. Run `npm run ui:build` (npm start does it for you).\n'),
    );
    return;
  }
  await app.register(fastifyStatic, { root: dir, index: ['index.html'], wildcard: false });
}
