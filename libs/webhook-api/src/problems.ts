import type { FastifyReply } from 'fastify';

export interface Problem {
  field: string;
  message: string;
}

export function badRequest(reply: FastifyReply, problems: Problem[]) {
  return reply.code(400).send({ error: 'invalid request', problems });
}

export function notFound(reply: FastifyReply, what: string) {
  return reply.code(404).send({ error: `${what} not found` });
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}
