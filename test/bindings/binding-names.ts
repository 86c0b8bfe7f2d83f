import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const dist = (...parts: string[]) => path.join(ROOT, 'dist', ...parts);

/** Fenced code blocks of one language in a Markdown text. */
export function codeBlocks(markdown: string, language: string): string[] {
  const fence = new RegExp('^```' + language + '\\s*\\n([\\s\\S]*?)^```', 'gm');
  return [...markdown.matchAll(fence)].map((m) => m[1]);
}

/** The one file in `dir` whose name matches `pattern`; fails with the command that makes it. */
export function artifact(dir: string, pattern: RegExp): string {
  const found = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => pattern.test(f)) : [];
  if (found.length !== 1) {
    throw new Error(`expected one ${pattern} in ${path.relative(ROOT, dir)}, found [${found.join(', ')}]: build the packages first (npx projen compile && npx projen bindings; npm test does both).`);
  }
  return path.join(dir, found[0]);
}

/** The entries of a zip archive (a wheel, a jar) and the text of the ones named in `read`, with Python's zipfile. */
export function zipContents(archive: string, read: string[] = []): { names: string[]; texts: Record<string, string> } {
  const script = 'import json,sys,zipfile\nz=zipfile.ZipFile(sys.argv[1])\n'
    + 'print(json.dumps({"names": z.namelist(), "texts": {n: z.read(n).decode("utf-8") for n in sys.argv[2:]}}))';
  const result = spawnSync('python3', ['-c', script, archive, ...read], { encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`python3 could not read ${archive}: ${result.stderr}`);
  return JSON.parse(result.stdout);
}
