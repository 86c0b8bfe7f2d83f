import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { dirname, join, relative } from 'path';
import * as ts from 'typescript';

/**
 * Transpiles bench/ and lib/ to plain JavaScript under `outRoot`, keeping their relative layout,
 * so each child runs compiled code: no TypeScript compiler in the measured processes (it would add
 * time and memory to the variants that load more of our code). Type-checking is the linter's and
 * the tests' job; this is per-file transpilation, done in well under a second.
 */
export function transpileForBench(repoRoot: string, outRoot: string): void {
  rmSync(outRoot, { recursive: true, force: true });
  for (const dir of ['bench', 'lib']) {
    for (const file of typeScriptFiles(join(repoRoot, dir), outRoot)) {
      const output = ts.transpileModule(readFileSync(file, 'utf8'), {
        fileName: file,
        compilerOptions: {
          module: ts.ModuleKind.CommonJS,
          target: ts.ScriptTarget.ES2022,
          esModuleInterop: true,
          experimentalDecorators: true,
        },
      });
      const target = join(outRoot, relative(repoRoot, file)).replace(/\.ts$/, '.js');
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, output.outputText);
    }
  }
}

function typeScriptFiles(dir: string, skip: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (path === skip || name === 'out' || name === 'node_modules') continue;
    if (statSync(path).isDirectory()) files.push(...typeScriptFiles(path, skip));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) files.push(path);
  }
  return files;
}
