import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkJavaNames, checkPythonNames, codeBlocks, JAVA_PACKAGE_DIR, PYTHON_MODULE, requireBindings, ROOT } from '../bindings/binding-names';

const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');

// The bindings come from `npx projen bindings` (jsii-pacmak --code-only), which `npm test` runs before jest.
beforeAll(requireBindings);

describe('README snippets use names the generated bindings have', () => {
  test('Python: every class, keyword argument and member from cdk_trace_merging exists', () => {
    // GIVEN the README's Python blocks that use the library
    const blocks = codeBlocks(README, 'python').filter((b) => b.includes('cdk_trace_merging'));
    expect(blocks.length).toBeGreaterThanOrEqual(1);

    // WHEN each is checked against dist/python
    for (const block of blocks) {
      const result = checkPythonNames(block);

      // THEN nothing is missing, and the check saw the library's API
      expect(result.problems).toEqual([]);
      expect(result.imported.length).toBeGreaterThan(0);
      expect(result.checked).toBeGreaterThan(0);
    }
  });

  test('Java: every class, builder method and constant from io.github.cdktracemerging exists', () => {
    // GIVEN the README's Java blocks that use the library
    const blocks = codeBlocks(README, 'java').filter((b) => b.includes('io.github.cdktracemerging'));
    expect(blocks.length).toBeGreaterThanOrEqual(1);

    // WHEN / THEN
    for (const block of blocks) {
      const result = checkJavaNames(block);
      expect(result.problems).toEqual([]);
      expect(result.imported.length).toBeGreaterThan(0);
      expect(result.checked).toBeGreaterThan(0);
    }
  });

  test('the serverless-first example is shown in TypeScript, Python and Java', () => {
    for (const [language, marker] of [['ts', 'MergedTracingStack'], ['python', 'MergedTracingStack'], ['java', 'MergedTracingStack']]) {
      expect(codeBlocks(README, language).some((b) => b.includes(marker) && b.includes('ServerlessFirst'))).toBe(true);
    }
  });
});

describe('the name checks catch wrong names', () => {
  test('Python: a misspelt keyword, a missing class and a missing enum member', () => {
    // GIVEN a snippet with three mistakes
    const snippet = [
      'from cdk_trace_merging import MergedTracingOptions, TracingMode, NoSuchThing',
      'MergedTracingOptions(env="prod", api_key_secret_arn_typo="x", mode=TracingMode.SERVERLES)',
    ].join('\n');

    // WHEN / THEN
    expect(checkPythonNames(snippet).problems).toEqual([
      'cdk_trace_merging has no NoSuchThing',
      'MergedTracingOptions takes no keyword argument api_key_secret_arn_typo',
      'TracingMode has no member SERVERLES',
    ]);
  });

  test('Java: a misspelt builder method, a missing class and a missing constant', () => {
    // GIVEN
    const snippet = [
      'import io.github.cdktracemerging.MergedTracingOptions;',
      'import io.github.cdktracemerging.TracingMode;',
      'import io.github.cdktracemerging.NoSuchThing;',
      'MergedTracingOptions o = MergedTracingOptions.builder().env("prod").apiKeySecretArnTypo("x").mode(TracingMode.HYBRIDX).build();',
    ].join('\n');

    // WHEN / THEN
    expect(checkJavaNames(snippet).problems).toEqual([
      'io.github.cdktracemerging has no NoSuchThing',
      'MergedTracingOptions.Builder has no apiKeySecretArnTypo(...)',
      'TracingMode has no HYBRIDX',
    ]);
  });

  test('missing bindings are reported with the command that makes them', () => {
    // GIVEN a module path that does not exist
    const missing = path.join(os.tmpdir(), 'no-such-bindings', '__init__.py');

    // WHEN / THEN python3 cannot read it, and the paths requireBindings checks are the generated ones
    expect(() => checkPythonNames('import os', missing)).toThrow(/python3 failed/);
    expect([PYTHON_MODULE, JAVA_PACKAGE_DIR].map((p) => path.relative(ROOT, p))).toEqual([
      'dist/python/src/cdk_trace_merging/__init__.py', 'dist/java/src/main/java/io/github/cdktracemerging',
    ]);
  });
});
