import { DrawnResource, MAX_DETAILED_RESOURCES, mapLegend, mapMermaid } from '../../../lib/check/map/map-mermaid';
import { ReportEntry } from '../../../lib/check/report';
import { REPORT_STATUSES } from '../../../lib/check/report-entry';

/** A checked function's report entry. */
function entry(stack: string, name: string, status: ReportEntry['status'] = 'merged'): DrawnResource {
  const e: ReportEntry = {
    unit: 'the app', stack, path: `${stack}/${name}`, kind: 'Lambda function', status, wired: [], missing: [], unknown: [], acknowledged: [], findings: [],
  };
  return { id: e.path, kind: e.kind, unit: e.unit, stack, entry: e };
}

describe('the Mermaid map', () => {
  test('one node per resource inside its stack, named by its path below the stack, one arrow per hop drawn by verdict, and link styles on the right arrows', () => {
    // GIVEN
    const resources = [entry('Shop', 'Api'), entry('Shop', 'Fn'), entry('Shop', 'Java', 'traced-not-merged'),
      { id: 'Shop/Queue', kind: 'SQS queue', unit: 'the app', stack: 'Shop' }, { id: 'arn:aws:lambda:us-east-1:1:function:x', kind: 'Lambda function outside the app' }];
    const edges = [
      { from: 'Shop/Api', to: 'Shop/Fn', via: 'REST API integration', trace: 'continues' as const },
      { from: 'Shop/Fn', to: 'Shop/Java', via: 'lambda:InvokeFunction grant', trace: 'breaks' as const },
      { from: 'Shop/Fn', to: 'arn:aws:lambda:us-east-1:1:function:x', via: 'lambda:InvokeFunction grant', trace: 'unknown' as const },
    ];
    // WHEN
    const lines = mapMermaid(resources, edges);
    // THEN
    expect(lines.slice(0, 15)).toEqual([
      'flowchart TB',
      '  subgraph unit0["the app"]',
      '    direction TB',
      '    subgraph unit0_stack0["Shop"]',
      '      direction TB',
      '      r0["Api<br/>Lambda function<br/>merged"]:::merged',
      '      r1["Fn<br/>Lambda function<br/>merged"]:::merged',
      '      r2["Java<br/>Lambda function<br/>traced-not-merged"]:::partial',
      '      r3["Queue<br/>SQS queue"]:::plain',
      '    end',
      '  end',
      '  r4["arn:aws:lambda:us-east-1:1:function:x<br/>Lambda function outside the app"]:::plain',
      '  r0 -->|"REST API integration"| r1',
      '  r1 -.-x|"lambda:InvokeFunction grant: breaks"| r2',
      '  r1 -.->|"lambda:InvokeFunction grant: unknown"| r4',
    ]);
    expect(lines.some((l) => l.includes('legend'))).toBe(false);
    // Arrows 1 and 2 are the break and the unknown
    expect(lines.filter((l) => l.startsWith('  linkStyle'))).toEqual([
      '  linkStyle 1 stroke:#dc2626,stroke-width:3px',
      '  linkStyle 2 stroke:#ca8a04,stroke-width:2px',
    ]);
  });

  test(`a large app (over ${MAX_DETAILED_RESOURCES} resources) is one node per stack with its resources by status, and hops between stacks counted`, () => {
    // GIVEN 20 stacks of 5 functions; each stack's first function calls the next stack's, one of those hops breaks
    const stacks = Array.from({ length: 20 }, (_, i) => `S${String(i).padStart(2, '0')}`);
    const resources = stacks.flatMap((s) => [0, 1, 2, 3, 4].map((n) => entry(s, `F${n}`, n === 4 ? 'incomplete' : 'merged')));
    const edges = [
      ...stacks.slice(1).map((s, i) => ({ from: `${stacks[i]}/F0`, to: `${s}/F0`, via: 'lambda:InvokeFunction grant', trace: (i === 3 ? 'breaks' : 'continues') as 'breaks' | 'continues' })),
      { from: 'S00/F0', to: 'S00/F1', via: 'lambda:InvokeFunction grant', trace: 'continues' as const },
    ];
    // WHEN
    const lines = mapMermaid(resources, edges);
    // THEN
    expect(lines).toContain('    unit0_stack0["S00<br/>5 resources: 4 merged, 1 incomplete<br/>1 hop inside"]:::plain');
    expect(lines).toContain('    unit0_stack1["S01<br/>5 resources: 4 merged, 1 incomplete"]:::plain');
    expect(lines).toContain('  unit0_stack0 -->|"1 hop"| unit0_stack1');
    expect(lines).toContain('  unit0_stack3 -.-x|"1 hop, 1 breaks"| unit0_stack4');
    expect(lines.filter((l) => / (-->|-\.->|-\.-o|-\.-x)\|/.test(l))).toHaveLength(19);
    expect(lines.filter((l) => l.startsWith('  linkStyle'))).toEqual(['  linkStyle 3 stroke:#dc2626,stroke-width:3px']);
    // A chain of 20 stacks is drawn downwards (left to right it would be 20 boxes wide), inside the app's box too:
    // Mermaid lays out a box with no hops to the outside left to right unless told
    expect(lines.slice(0, 3)).toEqual(['flowchart TB', '  subgraph unit0["the app"]', '    direction TB']);
  });

  test('resources side by side with few hops are drawn left to right, where top to bottom would put them all in one row', () => {
    // GIVEN five functions, one of which invokes another
    const resources = ['A', 'B', 'C', 'D', 'E'].map((n) => entry('Shop', n));
    const edges = [{ from: 'Shop/A', to: 'Shop/B', via: 'lambda:InvokeFunction grant', trace: 'continues' as const }];
    // WHEN
    const lines = mapMermaid(resources, edges);
    // THEN four boxes stand in the first rank: 800 px top to bottom, two steps of 330 px left to right
    expect(lines[0]).toBe('flowchart LR');
  });

  test('a loop of hops does not rank its boxes forever', () => {
    // GIVEN two functions that invoke each other
    const resources = [entry('Shop', 'A'), entry('Shop', 'B')];
    const edges = [
      { from: 'Shop/A', to: 'Shop/B', via: 'lambda:InvokeFunction grant', trace: 'continues' as const },
      { from: 'Shop/B', to: 'Shop/A', via: 'lambda:InvokeFunction grant', trace: 'continues' as const },
    ];
    // WHEN / THEN
    expect(mapMermaid(resources, edges)[0]).toBe('flowchart TB');
  });

  test('the legend under the picture names every status with its colour, once, and every arrow', () => {
    // WHEN
    const [boxes, arrows] = mapLegend();
    // THEN
    for (const status of REPORT_STATUSES) expect(boxes.split(new RegExp(`[ :,]${status}[,;.]`)).length - 1).toBe(1);
    expect(boxes).toContain('red with a thick border: incomplete, not-traced');
    expect(boxes).toContain('white: not checked');
    expect(arrows).toMatch(/solid where the trace continues.*circle.*linked.*cross where the trace breaks.*arrowhead where it cannot be told/);
  });
});
