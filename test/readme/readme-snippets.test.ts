/**
 * The README's Python and Java apps are the consumer apps test/consumers/ synthesizes with the real CDK CLI
 * (test/consumers/*.test.ts compare their templates with the TypeScript example's): here, that each README
 * block is one of those files, byte for byte, so the README can never drift from what is run.
 */
import * as fs from 'fs';
import * as path from 'path';
import { codeBlocks, ROOT } from '../bindings/binding-names';

const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');
const read = (...parts: string[]) => fs.readFileSync(path.join(ROOT, ...parts), 'utf-8');

describe('the README shows the consumer apps that are synthesized', () => {
  test.each([
    ['python', read('test', 'consumers', 'python', 'app.py')],
    ['java', read('test', 'consumers', 'java', 'src', 'main', 'java', 'com', 'example', 'ServerlessFirstApp.java')],
  ])('%s: the README block that uses the library is the consumer app file', (language, file) => {
    // GIVEN the README's blocks of that language that use the library
    const blocks = codeBlocks(README, language).filter((b) => b.includes('MergedTracingStack'));

    // THEN there is one, and it is the file
    expect(blocks).toEqual([file]);
  });

  test('codeBlocks finds fenced blocks of one language only', () => {
    // GIVEN a Markdown text with a Python and a Java block
    const markdown = ['text', '```python', 'print(1)', '```', '```java', 'class A {}', '```', ''].join('\n');

    // WHEN / THEN
    expect(codeBlocks(markdown, 'python')).toEqual(['print(1)\n']);
    expect(codeBlocks(markdown, 'java')).toEqual(['class A {}\n']);
  });
});
