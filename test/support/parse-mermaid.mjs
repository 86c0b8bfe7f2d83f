// Parses Mermaid diagrams with Mermaid itself (11.x, ESM only, so in a process of its own), under a jsdom DOM.
// argv[2]: a JSON file holding an array of diagram texts. Prints one JSON line: per diagram, { type } or { error }.
import { readFileSync } from 'fs';
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
globalThis.DOMParser = dom.window.DOMParser;
globalThis.Element = dom.window.Element;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });

const results = [];
for (const text of JSON.parse(readFileSync(process.argv[2], 'utf-8'))) {
  try {
    results.push({ type: (await mermaid.parse(text)).diagramType });
  } catch (error) {
    results.push({ error: String(error && error.message).split('\n')[0] });
  }
}
process.stdout.write(JSON.stringify(results) + '\n');
