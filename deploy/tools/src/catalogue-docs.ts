import { catalogueVersion, eventCatalogue } from '@wms-webhooks/contracts';
import { cell, renderSections } from './generated-sections';

function typesTable(): string {
  const lines = [
    `Catalogue version ${catalogueVersion}.`,
    '',
    '| event type | what happened | filters |',
    '|---|---|---|',
  ];
  for (const entry of eventCatalogue()) {
    const filters = entry.filters.map((filter) => `\`${filter.attribute}\``).join(', ');
    lines.push(`| \`${entry.eventType}\` | ${cell(entry.description)} | ${filters} |`);
  }
  return lines.join('\n');
}

function filtersTable(): string {
  const described = new Map<string, string>();
  for (const entry of eventCatalogue()) {
    for (const filter of entry.filters) described.set(filter.attribute, filter.description);
  }
  const lines = ['| filter | matches |', '|---|---|'];
  for (const [attribute, description] of described) lines.push(`| \`${attribute}\` | ${cell(description)} |`);
  return lines.join('\n');
}

/** docs/event-catalogue.md with its tables rewritten from the catalogue. */
export function renderCatalogueDocs(document: string): string {
  return renderSections(document, { 'event-types': typesTable, filters: filtersTable });
}
