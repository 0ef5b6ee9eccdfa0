import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wmsEvent } from '../support/events';
import { type Pipeline, startPipeline, testAdminKey } from '../support/pipeline';
import { Receiver } from '../support/receiver';
import { waitFor } from '../support/wait-for';

const run = promisify(execFile);
const apiDoc = join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'), 'docs', 'api.md');

interface Example {
  method: string;
  /** The route as the OpenAPI document names it, e.g. `/api/webhooks/{id}`. */
  path: string;
  status: number;
  script: string;
}

/** Each "`METHOD /path` → `STATUS`" line of docs/api.md and the sh block that follows it. */
function examplesIn(markdown: string): Example[] {
  const pattern = /^`(GET|POST|PUT|DELETE) (\/\S+)` → `(\d{3})`\n\n```sh\n([\s\S]*?)\n```$/gm;
  return [...markdown.matchAll(pattern)].map(([, method, path, status, script]) => ({
    method: method as string,
    path: path as string,
    status: Number(status),
    script: script as string,
  }));
}

type OpenApi = {
  paths: Record<
    string,
    Record<
      string,
      { operationId: string; responses: Record<string, { content?: Record<string, { schema: object }> }> }
    >
  >;
};

describe('docs/api.md', () => {
  let pipeline: Pipeline;
  let openApi: OpenApi;
  let examples: Example[];
  let workDir: string;
  const receiver = new Receiver();

  beforeAll(async () => {
    await receiver.start();
    // Deliveries fail, so one can be resent.
    receiver.respondWith('/picked', 503);
    // Replays go slowly enough that the cancelling example meets one still running.
    pipeline = await startPipeline({ REPLAY_RATE_PER_SECOND: '0.5' });
    openApi = (await (await fetch(`${pipeline.apiUrl}/api/openapi.json`)).json()) as OpenApi;
    examples = examplesIn(await readFile(apiDoc, 'utf8'));
    workDir = await mkdtemp(join(tmpdir(), 'api-docs-'));
  });

  afterAll(async () => {
    await pipeline?.stop();
    await receiver.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('shows an example of every route in the OpenAPI document', () => {
    const documented = Object.entries(openApi.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const shown = new Set(examples.map((example) => `${example.method} ${example.path}`));
    expect(documented.filter((route) => !shown.has(route))).toEqual([]);
    expect([...shown].filter((route) => !documented.includes(route))).toEqual([]);
  });

  it('runs each example with curl, and each answers as documented and as the OpenAPI document describes', async () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const variables: Record<string, string> = {
      API: pipeline.apiUrl,
      KEY: testAdminKey,
      RECEIVER_URL: receiver.url('/picked'),
      FROM: new Date(Date.now() - 3_600_000).toISOString(),
      TO: new Date().toISOString(),
    };
    const captures: Record<string, string> = {
      createWebhook: 'WEBHOOK_ID',
      createApiKey: 'KEY_ID',
      replayWebhook: 'REPLAY_ID',
    };
    let replayable = false;

    for (const [index, example] of examples.entries()) {
      if (/\$(DELIVERY_ID|ATTEMPT_ID)/.test(example.script)) {
        const failed = await failedDelivery(variables);
        variables.DELIVERY_ID = failed.deliveryId;
        variables.ATTEMPT_ID = failed.id;
      }
      if (example.path.endsWith('/replay') && !replayable) {
        await eventsToReplay(variables);
        replayable = true;
      }
      const bodyFile = join(workDir, `answer-${index}`);
      // The example as written; curl only also writes the answer to a file and the status line to stdout.
      const script = `set -euo pipefail
curl() { command curl -o "$ANSWER_FILE" -w '%{http_code} %{method} %{url_effective}' "$@"; }
${example.script}`;
      const { stdout } = await run('bash', ['-c', script], {
        env: { PATH: process.env.PATH, ...variables, ANSWER_FILE: bodyFile },
      });
      const [status, method, url] = stdout.trim().split(' ');
      const label = `${example.method} ${example.path} (example ${index + 1})`;
      expect(`${method} ${new URL(url as string).pathname}`, label).toMatch(
        new RegExp(`^${example.method} ${example.path.replace(/\{\w+\}/g, '[^/]+')}$`),
      );
      expect(Number(status), label).toBe(example.status);

      const operation = openApi.paths[example.path]?.[example.method.toLowerCase()];
      const answer = operation?.responses[String(example.status)];
      expect(answer, `${label}: a ${example.status} answer in the OpenAPI document`).toBeDefined();
      const schema = answer?.content?.['application/json']?.schema;
      const text = await readFile(bodyFile, 'utf8').catch(() => '');
      if (!schema) {
        expect(text.length, `${label}: a body where the OpenAPI document says none`).toBe(0);
        continue;
      }
      const body = JSON.parse(text) as Record<string, unknown>;
      const valid = ajv.validate(schema, body);
      expect(valid ? [] : ajv.errors, `${label}: answer ${text.slice(0, 300)}`).toEqual([]);
      const captured = operation ? captures[operation.operationId] : undefined;
      if (captured && example.status < 300 && body.id !== undefined) variables[captured] = String(body.id);
    }
    expect(examples.length).toBeGreaterThan(15);
  });

  /** Events of the documented webhook in the log, so its replay has some to send. */
  async function eventsToReplay(variables: Record<string, string>) {
    const webhookId = variables.WEBHOOK_ID as string;
    const events = Array.from({ length: 3 }, () =>
      wmsEvent({ goodsOwnerId: 42, attributes: { orderType: 'B2C', transporterCode: 'DHL' } }),
    );
    await pipeline.publish(events);
    await waitFor(async () => {
      const page = (await (await pipeline.api(`/api/webhooks/${webhookId}/logs`)).json()) as {
        items: Array<{ eventId: string }>;
      };
      return events.every((event) => page.items.some((item) => item.eventId === event.eventId));
    });
    variables.TO = new Date().toISOString();
  }

  /** A WMS event for the documented webhook, delivered to a receiver answering 503: a final failure to resend. */
  async function failedDelivery(variables: Record<string, string>) {
    const webhookId = variables.WEBHOOK_ID as string;
    const current = (await (await pipeline.api(`/api/webhooks/${webhookId}`)).json()) as { version: number };
    await pipeline.propagated(webhookId, current.version);
    await pipeline.publish([
      wmsEvent({ goodsOwnerId: 42, attributes: { orderType: 'B2C', transporterCode: 'DHL' } }),
    ]);
    const failed = await waitFor(async () => {
      const page = (await (await pipeline.api(`/api/webhooks/${webhookId}/logs?outcome=failed`)).json()) as {
        items: Array<{ id: string; deliveryId: string; resendable: boolean }>;
      };
      return page.items.find((item) => item.resendable);
    });
    return failed;
  }
});
