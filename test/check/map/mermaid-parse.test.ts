/**
 * Every map the report draws is a diagram Mermaid itself reads: the examples' (as the cdk CLI synthesized them), a map
 * with every verdict's arrow, a stack-per-box map of a large app, and the README's; a broken diagram is refused (the
 * negative control that shows the parser is really reading).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DrawnResource, mapMermaid } from '../../../lib/check/map/map-mermaid';
import { exampleAssembly, ExampleName } from '../../examples/example-assemblies';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const PARSER = path.join(ROOT, 'test', 'support', 'parse-mermaid.mjs');

/** Each diagram's type as Mermaid parsed it, or its parse error. */
function parsed(diagrams: string[]): Array<{ type?: string; error?: string }> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mermaid-')), 'diagrams.json');
  fs.writeFileSync(file, JSON.stringify(diagrams));
  const run = spawnSync(process.execPath, [PARSER, file], { cwd: ROOT, encoding: 'utf-8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(`the Mermaid parser failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!);
}

/** The Mermaid block of a Markdown text. */
function mermaidOf(markdown: string): string {
  const start = markdown.indexOf('```mermaid\n') + '```mermaid\n'.length;
  return markdown.slice(start, markdown.indexOf('\n```', start));
}

const EXAMPLES: ExampleName[] = ['serverless-first', 'managed-hops', 'lambda-and-hosts'];

/** Two functions and a queue, joined by one hop of each verdict (the labels carry the mechanism and the carrier). */
function everyVerdict(): string {
  const resources: DrawnResource[] = [
    { id: 'Shop/A', kind: 'Lambda function', unit: 'the app', stack: 'Shop' },
    { id: 'Shop/B', kind: 'Lambda function', unit: 'the app', stack: 'Shop' },
    { id: 'Shop/Queue', kind: 'SQS queue', unit: 'the app', stack: 'Shop' },
    { id: 'arn:aws:lambda:us-east-1:1:function:x', kind: 'Lambda function outside the app' },
  ];
  return mapMermaid(resources, [
    { from: 'Shop/A', to: 'Shop/Queue', via: 'sqs:SendMessage grant', trace: 'continues', carriedBy: ['Datadog context', 'X-Ray header'] },
    { from: 'Shop/Queue', to: 'Shop/B', via: 'SQS event source mapping', trace: 'linked' },
    { from: 'Shop/B', to: 'Shop/A', via: 'lambda:InvokeFunction grant', trace: 'breaks' },
    { from: 'Shop/B', to: 'arn:aws:lambda:us-east-1:1:function:x', via: 'lambda:InvokeFunction grant', trace: 'unknown' },
  ]).join('\n');
}

/** 20 stacks of 5 functions: drawn one box per stack. */
function largeApp(): string {
  const stacks = Array.from({ length: 20 }, (_, i) => `S${String(i).padStart(2, '0')}`);
  const resources = stacks.flatMap((s) => Array.from({ length: 5 }, (_, i) => ({ id: `${s}/F${i}`, kind: 'Lambda function', unit: 'the app', stack: s })));
  const edges = stacks.slice(1).map((s, i) => ({ from: `${stacks[i]}/F0`, to: `${s}/F0`, via: 'lambda:InvokeFunction grant', trace: 'linked' as const }));
  return mapMermaid(resources, edges).join('\n');
}

describe('the maps are diagrams Mermaid reads', () => {
  test('THEN the examples\', a map with every verdict, a large app\'s and the README\'s parse as flowcharts; a broken one does not', () => {
    // GIVEN every kind of map the report draws, and one with an unclosed box
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');
    const diagrams = [
      ...EXAMPLES.map((example) => mermaidOf(exampleAssembly(example).traceMap().markdown)),
      everyVerdict(),
      largeApp(),
      mermaidOf(readme),
      'flowchart LR\n  r0["unclosed --> r1',
    ];
    // WHEN Mermaid parses them
    const results = parsed(diagrams);
    // THEN
    expect(results.slice(0, -1)).toEqual(diagrams.slice(0, -1).map(() => ({ type: 'flowchart-v2' })));
    expect(results[results.length - 1]).toEqual({ error: expect.stringMatching(/^(Parse|Lexical) error/) });
  });
});
