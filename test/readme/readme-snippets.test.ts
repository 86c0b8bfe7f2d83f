/**
 * docs/languages.md's Python and Java apps are the consumer apps test/consumers/ synthesizes with the real CDK CLI
 * (test/consumers/*.test.ts compare their templates with the TypeScript example's): here, that each block is one of
 * those files, byte for byte, so the documentation can never drift from what is run; and docs/install.md is what the
 * consumer apps do to install the library.
 */
import * as fs from 'fs';
import * as path from 'path';
import { codeBlocks, ROOT } from '../bindings/binding-names';

const LANGUAGES = fs.readFileSync(path.join(ROOT, 'docs', 'languages.md'), 'utf-8');
const INSTALL = fs.readFileSync(path.join(ROOT, 'docs', 'install.md'), 'utf-8');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');
const read = (...parts: string[]) => fs.readFileSync(path.join(ROOT, ...parts), 'utf-8');

/** Fenced blocks of one language, also those indented in a list item (their indentation removed). */
function listItemBlocks(markdown: string, language: string): string[] {
  const fence = new RegExp('^([ \\t]*)```' + language + '\\s*\\n([\\s\\S]*?)^[ \\t]*```', 'gm');
  return [...markdown.matchAll(fence)].map((m) => m[2].split('\n').map((l) => l.slice(m[1].length)).join('\n'));
}

describe('the documentation shows the consumer apps that are synthesized', () => {
  test.each([
    ['python', read('test', 'consumers', 'python', 'app.py')],
    ['java', read('test', 'consumers', 'java', 'src', 'main', 'java', 'com', 'example', 'ServerlessFirstApp.java')],
  ])('%s: the docs/languages.md block that uses the library is the consumer app file', (language, file) => {
    // GIVEN the blocks of that language that use the library
    const blocks = codeBlocks(LANGUAGES, language).filter((b) => b.includes('MergedTracingStack'));

    // THEN there is one, and it is the file
    expect(blocks).toEqual([file]);
  });

  test('typescript: the blocks that show examples/serverless-first are its stack.ts and app.ts (the import of the library as a user writes it)', () => {
    // GIVEN docs/languages.md's TypeScript blocks
    const blocks = codeBlocks(LANGUAGES, 'ts');
    // THEN the example's files are among them, whole; the stack's import of the library reads as in a user's project
    const stack = read('examples', 'serverless-first', 'stack.ts');
    expect(stack).toContain("from '../../lib';");
    expect(blocks).toContain(stack.replace("from '../../lib';", "from 'cdk-trace-merging';"));
    expect(blocks).toContain(read('examples', 'serverless-first', 'app.ts'));
    // and no other block builds a ServerlessFirstStack that could drift from them
    expect(blocks.filter((b) => b.includes('class ServerlessFirstStack'))).toHaveLength(1);
  });

  test('docs/install.md is what the consumer apps do, paths aside, and so is README\'s npm line', () => {
    // GIVEN docs/install.md and the consumer apps' dependency files
    const install = INSTALL;
    const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('//'));
    // Where the clone is: the README's /path/to/cdk-trace-merging, the consumer apps' ../../../ (the repository root)
    const atClone = (text: string) => text.replace(/\/path\/to\/cdk-trace-merging\//g, '<clone>/').replace(/(\.\.\/){3}/g, '<clone>/')
      .replace(/file:\/\/\$\{project\.basedir\}\/<clone>\//g, 'file://<clone>/').replace(/file:\/\/<clone>/g, 'file://<clone>');
    const blocks = ['text', 'xml', 'sh'].flatMap((language) => listItemBlocks(install, language)).map(atClone);

    // THEN Python: the find-links line and the requirement, as test/consumers/python/requirements.txt has them
    const requirements = lines(atClone(read('test', 'consumers', 'python', 'requirements.txt')));
    expect(requirements).toEqual(expect.arrayContaining(lines(blocks.find((b) => b.includes('--find-links'))!)));
    // Java: the repository and the dependency, as test/consumers/java/pom.xml has them
    const pom = atClone(read('test', 'consumers', 'java', 'pom.xml')).replace(/\s+/g, ' ');
    for (const block of blocks.filter((b) => b.includes('<repository>') || b.includes('<dependency>'))) expect(pom).toContain(block.trim().replace(/\s+/g, ' '));
    // Go: the require and the replace, as test/consumers/go/go.mod has them
    const goMod = lines(atClone(read('test', 'consumers', 'go', 'go.mod'))).map((l) => l.replace(/^require /, ''));
    for (const line of lines(blocks.find((b) => b.includes('replace '))!)) expect(goMod).toContain(line.replace(/^require /, ''));
    // npm: the tarball install test/consumers/javascript.test.ts runs (npm pack, then npm install <tarball>)
    expect(blocks.find((b) => b.startsWith('npm install '))).toBe('npm install <clone>/cdk-trace-merging-0.0.0.tgz\n');
    expect(atClone(README)).toContain('npm install <clone>/cdk-trace-merging-0.0.0.tgz\n');
    expect(read('test', 'consumers', 'javascript.test.ts')).toMatch(/timedSetup\('npm', \['pack'[\s\S]*timedSetup\('npm', \['install'/);
  });

  test('codeBlocks finds fenced blocks of one language only', () => {
    // GIVEN a Markdown text with a Python and a Java block
    const markdown = ['text', '```python', 'print(1)', '```', '```java', 'class A {}', '```', ''].join('\n');

    // WHEN / THEN
    expect(codeBlocks(markdown, 'python')).toEqual(['print(1)\n']);
    expect(codeBlocks(markdown, 'java')).toEqual(['class A {}\n']);
  });
});
