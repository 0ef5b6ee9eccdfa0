import { apiEnv } from '@wms-webhooks/api/env';
import { describeEnv, type EnvVariableDoc } from '@wms-webhooks/config';
import { endpointVariables } from '@wms-webhooks/endpoints';
import { ingesterEnv } from '@wms-webhooks/ingester/env';
import { stackSchema } from '@wms-webhooks/local-stack';
import { matcherEnv } from '@wms-webhooks/matcher/env';
import { notifierEnv } from '@wms-webhooks/notifier/env';
import { retrierEnv } from '@wms-webhooks/retrier/env';
import { senderEnv } from '@wms-webhooks/sender/env';
import { z } from 'zod';
import { cell, renderSections } from './generated-sections';

/** Each service's schema, in the order an event passes through them. */
const serviceSchemas = [
  ['ingester', ingesterEnv],
  ['matcher', matcherEnv],
  ['sender', senderEnv],
  ['retriers', retrierEnv],
  ['notifier', notifierEnv],
  ['api', apiEnv],
] as const;

const stackTools = z.object({ WMS_STACK: endpointVariables.WMS_STACK, ...stackSchema.shape });

interface Row {
  name: string;
  description: string;
  defaults: { service: string; text: string }[];
  services: string[];
}

function defaultText(doc: EnvVariableDoc): string {
  if (doc.defaultText !== undefined) return doc.defaultText;
  return doc.required ? 'required' : 'unset';
}

function meaning(doc: EnvVariableDoc): string {
  const choices = doc.choices ? ` One of ${doc.choices.map((choice) => `\`${choice}\``).join(', ')}.` : '';
  return cell(`${doc.description ?? ''}${choices}`);
}

/** Variables without a description: the docs would show an empty meaning, so the test names them. */
export function undescribedVariables(): string[] {
  const schemas = [...serviceSchemas.map(([, schema]) => schema), stackTools];
  const undescribed = schemas
    .flatMap((schema) => describeEnv(schema))
    .filter((doc) => !doc.description)
    .map((doc) => doc.name);
  return [...new Set(undescribed)];
}

function servicesTable(): string {
  const rows: Row[] = [];
  for (const [service, schema] of serviceSchemas) {
    for (const doc of describeEnv(schema)) {
      const description = meaning(doc);
      let row = rows.find(
        (candidate) => candidate.name === doc.name && candidate.description === description,
      );
      if (!row) {
        row = { name: doc.name, description, defaults: [], services: [] };
        rows.push(row);
      }
      row.services.push(service);
      row.defaults.push({ service, text: defaultText(doc) });
    }
  }
  const lines = ['| variable | default | read by | meaning |', '|---|---|---|---|'];
  for (const row of rows) {
    const texts = new Set(row.defaults.map((entry) => entry.text));
    const defaults =
      texts.size === 1
        ? [...texts][0]
        : row.defaults.map((entry) => `${entry.text} (${entry.service})`).join(', ');
    const services = row.services.length === serviceSchemas.length ? 'all' : row.services.join(', ');
    lines.push(`| \`${row.name}\` | ${defaults} | ${services} | ${row.description} |`);
  }
  return lines.join('\n');
}

function stackTable(): string {
  const lines = ['| variable | default | meaning |', '|---|---|---|'];
  for (const doc of describeEnv(stackTools)) {
    lines.push(`| \`${doc.name}\` | ${defaultText(doc)} | ${meaning(doc)} |`);
  }
  return lines.join('\n');
}

/** docs/configuration.md with its tables rewritten from the schemas. */
export function renderConfigDocs(document: string): string {
  return renderSections(document, { services: servicesTable, stack: stackTable });
}
