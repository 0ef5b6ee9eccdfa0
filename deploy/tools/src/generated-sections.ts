/**
 * The document with each generated section rewritten. A section lies between
 * `<!-- generated: NAME (npm run docs:generate) -->` and `<!-- end generated: NAME -->`, so the prose
 * around it stays written by hand and the facts inside it cannot drift from their source.
 */
export function renderSections(document: string, sections: Record<string, () => string>): string {
  let result = document;
  for (const [name, render] of Object.entries(sections)) {
    const start = `<!-- generated: ${name} (npm run docs:generate) -->`;
    const end = `<!-- end generated: ${name} -->`;
    const from = result.indexOf(start);
    const to = result.indexOf(end);
    if (from < 0 || to < from) throw new Error(`the document has no "${start}" … "${end}" section`);
    result = `${result.slice(0, from + start.length)}\n${render()}\n${result.slice(to)}`;
  }
  return result;
}

/** A markdown table cell: pipes escaped, so a description cannot split its row. */
export const cell = (text: string) => text.replaceAll('|', '\\|');
