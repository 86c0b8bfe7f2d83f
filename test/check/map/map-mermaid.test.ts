import { DrawnResource, MAX_DETAILED_RESOURCES, mapMermaid } from '../../../lib/check/map/map-mermaid';
import { ReportEntry } from '../../../lib/check/report';

/** A checked function's report entry. */
function entry(stack: string, name: string, status: ReportEntry['status'] = 'merged'): DrawnResource {
  const e: ReportEntry = {
    unit: 'the app', stack, path: `${stack}/${name}`, kind: 'Lambda function', status, wired: [], missing: [], unknown: [], acknowledged: [], findings: [],
  };
  return { id: e.path, kind: e.kind, unit: e.unit, stack, entry: e };
}

describe('the Mermaid map', () => {
  test('one node per resource inside its stack, named by its path below the stack, one arrow per hop drawn by verdict, link styles on the right arrows, and a legend', () => {
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
    expect(lines.slice(0, 13)).toEqual([
      'flowchart LR',
      '  subgraph unit0["the app"]',
      '    subgraph unit0_stack0["Shop"]',
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
    expect(lines).toContain('  subgraph legend["Legend"]');
    // Arrows 1 and 2 are the break and the unknown; 4 to 6 the legend's linked, breaks and unknown
    expect(lines.filter((l) => l.startsWith('  linkStyle'))).toEqual([
      '  linkStyle 1 stroke:#c62828,stroke-width:2px,color:#c62828',
      '  linkStyle 2 stroke:#b08800,stroke-width:2px',
      '  linkStyle 4 stroke:#1d4ed8,stroke-width:2px',
      '  linkStyle 5 stroke:#c62828,stroke-width:2px,color:#c62828',
      '  linkStyle 6 stroke:#b08800,stroke-width:2px',
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
    expect(lines.filter((l) => / (-->|-\.->|-\.-o|-\.-x)\|/.test(l))).toHaveLength(19 + 4);
    expect(lines.filter((l) => l.startsWith('  linkStyle'))).toEqual([
      '  linkStyle 3 stroke:#c62828,stroke-width:2px,color:#c62828',
      '  linkStyle 20 stroke:#1d4ed8,stroke-width:2px',
      '  linkStyle 21 stroke:#c62828,stroke-width:2px,color:#c62828',
      '  linkStyle 22 stroke:#b08800,stroke-width:2px',
    ]);
  });
});
