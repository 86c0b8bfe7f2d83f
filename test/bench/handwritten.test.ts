import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { buildApp, VariantHooks } from '../../bench/app';
import { hooks as handwritten } from '../../bench/variants/handwritten';
import { hooks as merged } from '../../bench/variants/merged';

/**
 * The templates of one variant, keyed by file, made comparable: construct-analytics metadata dropped,
 * and the shared policy named alike (its id carries a digest of the options in (b), not in (d)).
 */
function templatesOf(hooks: VariantHooks, functions: number, dir: string): Record<string, unknown> {
  buildApp(functions, hooks, dir).synth();
  const templates: Record<string, unknown> = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.template.json'))) {
    const text = readFileSync(join(dir, file), 'utf8').replace(/DatadogMergedTracingPolicyXRay\w*/g, 'SharedTracingPolicy');
    const template = JSON.parse(text) as { Resources: Record<string, unknown> };
    delete template.Resources.CDKMetadata;
    templates[file] = template;
  }
  return templates;
}

describe('bench variant (d), the hand-written floor', () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'bench-floor-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('writes the very templates the library writes for (b), so (d) - (a) is the cost of that content alone', () => {
    // GIVEN the benchmark workload with Node and Python functions in every stack
    const functions = 40;

    // WHEN both variants synthesize it
    const fromLibrary = templatesOf(merged, functions, join(dir, 'b'));
    const byHand = templatesOf(handwritten, functions, join(dir, 'd'));

    // THEN the templates are identical, file by file
    expect(Object.keys(byHand).sort()).toEqual(Object.keys(fromLibrary).sort());
    expect(Object.keys(byHand)).toHaveLength(20);
    for (const file of Object.keys(fromLibrary)) expect({ file, template: byHand[file] }).toEqual({ file, template: fromLibrary[file] });
  });
});
