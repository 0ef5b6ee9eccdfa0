import { randomUUID } from 'node:crypto';
import type { ReplayOutcomes } from '@wms-webhooks/delivery';
import { parseReplayRequest, queuedReplay, type Replay, replayRequestInput } from '@wms-webhooks/replay';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiDeps } from './api-deps';
import { replayAnswer, replayListAnswer, replayPreviewAnswer } from './api-schemas';
import { documented, problems, webhookIdParam } from './openapi';
import { badRequest, isUuid } from './problems';
import type { QuotaGuard } from './quotas';
import { accessibleWebhook } from './webhook-access';

type ReplayParams = { Params: { id: string; replayId: string } };

const replayIdParam = { ...webhookIdParam, replayId: "The replay's id, as `POST …/replay` answered it." };

/** Replays listed for a webhook, newest first. */
const listedReplays = 20;

/** A replay as the API answers it. */
function replayAnswerOf(replay: Replay, outcomes: ReplayOutcomes | undefined, cancelRequested: boolean) {
  return {
    id: replay.id,
    webhookId: replay.webhookId,
    source: replay.source,
    from: replay.from.toISOString(),
    to: replay.to.toISOString(),
    state: replay.state,
    requestedBy: replay.requestedBy,
    createdAt: replay.createdAt.toISOString(),
    startedAt: replay.startedAt?.toISOString() ?? null,
    finishedAt: replay.finishedAt?.toISOString() ?? null,
    error: replay.error,
    cancelRequested,
    progress: {
      scanned: replay.scanned,
      matched: replay.matched,
      sent: replay.sent,
      skipped: replay.skipped,
      succeeded: outcomes?.succeeded ?? 0,
      failed: outcomes?.failed ?? 0,
    },
  };
}

export function registerReplayRoutes(app: FastifyInstance, deps: ApiDeps, quota: QuotaGuard) {
  /** The replays as answered, with how their deliveries ended, read once for all of them. */
  const answers = async (replays: readonly Replay[]) => {
    const outcomes = await deps.replays.outcomes(replays.map((replay) => replay.id));
    return Promise.all(
      replays.map(async (replay) =>
        replayAnswerOf(replay, outcomes.get(replay.id), await deps.replays.store.cancelRequested(replay.id)),
      ),
    );
  };
  const answer = async (replay: Replay) => (await answers([replay]))[0];
  app.post<{ Params: { id: string }; Body: unknown }>(
    '/api/webhooks/:id/replay',
    documented({
      operationId: 'replayWebhook',
      summary: "Send a window of the webhook's failed deliveries, or of the logged events, again",
      description:
        'With `dryRun`, answers what it would send. Otherwise the replay runs beside live traffic at a bounded rate (`REPLAY_RATE_PER_SECOND`); its attempts show in the Logs marked as replay. One replay per webhook at a time.',
      tag: 'logs',
      params: webhookIdParam,
      body: { schema: replayRequestInput, required: true },
      responses: {
        200: { description: 'The dry run: what it would send.', schema: replayPreviewAnswer },
        202: { description: 'Accepted: queued, and running within seconds.', schema: replayAnswer },
        ...problems(400, 403, 404, 409, 429),
      },
    }),
    async (request, reply) => {
      const parsed = parseReplayRequest(request.body, deps.now());
      if (!parsed.ok) return badRequest(reply, parsed.problems);
      const webhook = await accessibleWebhook(deps, request, reply, request.params.id);
      if (!webhook) return reply;
      const { from, to, source, dryRun } = parsed.request;
      if (!(await quota.admitRate(request, reply, 'test', webhook.goodsOwnerIds))) return reply;
      if (dryRun) {
        const preview = await deps.replays.runner.preview(webhook, parsed.request);
        return { dryRun: true, source, from: from.toISOString(), to: to.toISOString(), ...preview };
      }
      if (!webhook.enabled) {
        return reply
          .code(409)
          .send({ error: 'the webhook is disabled: enable it, then replay what it missed' });
      }
      const active = (await deps.replays.store.listFor(webhook.id, listedReplays)).find(
        deps.replays.runner.isActive,
      );
      if (active) {
        return reply.code(409).send({
          error: `replay ${active.id} of this webhook is still ${active.state}: wait for it or cancel it`,
        });
      }
      const replay = queuedReplay(
        { id: randomUUID(), webhookId: webhook.id, source, from, to, requestedBy: request.principal.name },
        new Date(deps.now()),
      );
      await deps.replays.runner.submit(replay);
      const current = (await deps.replays.store.get(replay.id)) ?? replay;
      return reply
        .code(202)
        .header('location', `/api/webhooks/${webhook.id}/replays/${replay.id}`)
        .send(await answer(current));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/webhooks/:id/replays',
    documented({
      operationId: 'listReplays',
      summary: "The webhook's replays, newest first",
      description: `The last ${listedReplays}; a finished replay is listed for 8 days.`,
      tag: 'logs',
      params: webhookIdParam,
      responses: { 200: { description: 'The replays.', schema: replayListAnswer }, ...problems(403, 404) },
    }),
    async (request, reply) => {
      const webhook = await accessibleWebhook(deps, request, reply, request.params.id);
      if (!webhook) return reply;
      return { items: await answers(await deps.replays.store.listFor(webhook.id, listedReplays)) };
    },
  );

  /** The replay, if it is this webhook's; otherwise the 404 has been answered. */
  const replayOf = async (request: FastifyRequest<ReplayParams>, reply: FastifyReply) => {
    const webhook = await accessibleWebhook(deps, request, reply, request.params.id);
    if (!webhook) return undefined;
    const replay = isUuid(request.params.replayId)
      ? await deps.replays.store.get(request.params.replayId)
      : undefined;
    if (!replay || replay.webhookId !== webhook.id) {
      await reply.code(404).send({ error: 'replay not found (a finished one is listed for 8 days)' });
      return undefined;
    }
    return replay;
  };

  app.get<ReplayParams>(
    '/api/webhooks/:id/replays/:replayId',
    documented({
      operationId: 'getReplay',
      summary: 'How far a replay has got, and how its deliveries ended',
      tag: 'logs',
      params: replayIdParam,
      responses: { 200: { description: 'The replay.', schema: replayAnswer }, ...problems(403, 404) },
    }),
    async (request, reply) => {
      const replay = await replayOf(request, reply);
      if (!replay) return reply;
      return answer(replay);
    },
  );

  app.delete<ReplayParams>(
    '/api/webhooks/:id/replays/:replayId',
    documented({
      operationId: 'cancelReplay',
      summary: 'Cancel a replay',
      description:
        'It stops within seconds, where it is: what it has sent stays sent, and is delivered and retried as usual.',
      tag: 'logs',
      params: replayIdParam,
      responses: {
        202: { description: 'Cancellation asked for.', schema: replayAnswer },
        ...problems(403, 404, 409),
      },
    }),
    async (request, reply) => {
      const replay = await replayOf(request, reply);
      if (!replay) return reply;
      if (!deps.replays.runner.isActive(replay)) {
        return reply.code(409).send({
          error: `this replay has already ${replay.state === 'completed' ? 'completed' : `ended (${replay.state})`}`,
        });
      }
      await deps.replays.store.requestCancel(replay.id, request.principal.name, deps.now());
      return reply.code(202).send(await answer(replay));
    },
  );
}
