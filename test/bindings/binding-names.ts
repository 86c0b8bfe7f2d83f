import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const PYTHON_MODULE = path.join(ROOT, 'dist', 'python', 'src', 'cdk_trace_merging', '__init__.py');
export const JAVA_PACKAGE_DIR = path.join(ROOT, 'dist', 'java', 'src', 'main', 'java', 'io', 'github', 'cdktracemerging');

/** Fenced code blocks of one language in a Markdown text. */
export function codeBlocks(markdown: string, language: string): string[] {
  const fence = new RegExp('^```' + language + '\\s*\\n([\\s\\S]*?)^```', 'gm');
  return [...markdown.matchAll(fence)].map((m) => m[1]);
}

/** Fails with the way to make them when the generated bindings are missing. */
export function requireBindings(): void {
  for (const file of [PYTHON_MODULE, JAVA_PACKAGE_DIR]) {
    if (!fs.existsSync(file)) {
      throw new Error(`${path.relative(ROOT, file)} is missing: generate the bindings first (npx projen compile && npx projen bindings; npm test does both).`);
    }
  }
}

// Reads the generated module and the snippet with Python's own parser: names imported from
// cdk_trace_merging must be classes there; keyword arguments of their constructors (also through
// subclasses the snippet defines), of their class/static methods, and enum members must exist.
const PYTHON_CHECK = String.raw`
import ast, json, sys
generated = ast.parse(open(sys.argv[1]).read())
snippet = ast.parse(sys.stdin.read())
classes = {n.name: n for n in generated.body if isinstance(n, ast.ClassDef) and not n.name.startswith('_')}

def params(fn):
    a = fn.args
    return {x.arg for x in a.posonlyargs + a.args + a.kwonlyargs} - {'self', 'cls'}

def member(cls, name):
    for n in cls.body:
        if isinstance(n, ast.FunctionDef) and n.name == name:
            return n
        if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in n.targets):
            return n
    return None

problems, imported = [], {}
for node in ast.walk(snippet):
    if isinstance(node, ast.ImportFrom) and node.module == 'cdk_trace_merging':
        for alias in node.names:
            if alias.name not in classes:
                problems.append(f'cdk_trace_merging has no {alias.name}')
            else:
                imported[alias.asname or alias.name] = alias.name
# Classes of the snippet that extend ours take our constructor's keyword arguments.
for node in ast.walk(snippet):
    if isinstance(node, ast.ClassDef):
        for base in node.bases:
            if isinstance(base, ast.Name) and base.id in imported:
                imported.setdefault(node.name, imported[base.id])
checked = 0
for node in ast.walk(snippet):
    if isinstance(node, ast.Call):
        target = None
        if isinstance(node.func, ast.Name) and node.func.id in imported:
            cls = classes[imported[node.func.id]]
            target, where = member(cls, '__init__'), cls.name
        elif isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name) and node.func.value.id in imported:
            cls = classes[imported[node.func.value.id]]
            target, where = member(cls, node.func.attr), f'{cls.name}.{node.func.attr}'
            if target is None:
                problems.append(f'{cls.name} has no method {node.func.attr}')
                continue
        if target is None:
            continue
        allowed = params(target) if isinstance(target, ast.FunctionDef) else set()
        for kw in node.keywords:
            checked += 1
            if kw.arg is not None and kw.arg not in allowed:
                problems.append(f'{where} takes no keyword argument {kw.arg}')
    elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in imported:
        cls = classes[imported[node.value.id]]
        checked += 1
        if member(cls, node.attr) is None:
            problems.append(f'{cls.name} has no member {node.attr}')
print(json.dumps({'imported': sorted(set(imported.values())), 'checked': checked, 'problems': problems}))
`;

export interface NameCheck {
  /** Our classes the snippet uses. */
  readonly imported: string[];
  /** How many keyword arguments, builder calls and members were checked. */
  readonly checked: number;
  /** Names the bindings do not have. */
  readonly problems: string[];
}

/** Checks a Python snippet's names against the generated Python module. */
export function checkPythonNames(snippet: string, modulePath = PYTHON_MODULE): NameCheck {
  const result = spawnSync('python3', ['-c', PYTHON_CHECK, modulePath], { input: snippet, encoding: 'utf-8' });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

/**
 * Checks a Java snippet's names against the generated Java sources: imports of io.github.cdktracemerging.X
 * name a generated class; every method in an `X.builder()` or `X.Builder.create(...)` chain up to `.build()`
 * is a method of X's Builder; `X.NAME` is a member of X.
 */
export function checkJavaNames(snippet: string, packageDir = JAVA_PACKAGE_DIR): NameCheck {
  const problems: string[] = [];
  const sources = new Map<string, string>();
  for (const [, name] of snippet.matchAll(/^import io\.github\.cdktracemerging\.(\w+);/gm)) {
    const file = path.join(packageDir, `${name}.java`);
    if (fs.existsSync(file)) sources.set(name, fs.readFileSync(file, 'utf-8'));
    else problems.push(`io.github.cdktracemerging has no ${name}`);
  }
  let checked = 0;
  const code = snippet.replace(/\/\/.*$/gm, '').replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (const [name, source] of sources) {
    const builders = new RegExp(`\\b${name}\\s*\\.\\s*(?:builder\\s*\\(\\s*\\)|Builder\\s*\\.\\s*create\\s*\\()`, 'g');
    for (const start of code.matchAll(builders)) {
      for (const method of builderChain(code, start.index! + start[0].length)) {
        checked++;
        if (!new RegExp(`public Builder ${method}\\(`).test(source)) problems.push(`${name}.Builder has no ${method}(...)`);
      }
    }
    for (const [, constant] of code.matchAll(new RegExp(`\\b${name}\\.([A-Z][A-Z0-9_]+)\\b`, 'g'))) {
      checked++;
      if (!new RegExp(`^\\s+${constant}[,;(\\s]`, 'm').test(source)) problems.push(`${name} has no ${constant}`);
    }
    for (const [, method] of code.matchAll(new RegExp(`\\b${name}\\.([a-z]\\w*)\\s*\\(`, 'g'))) {
      if (method === 'builder') continue;
      checked++;
      if (!new RegExp(`public static [\\w.<>\\[\\]@ ]+ ${method}\\(`).test(source)) problems.push(`${name} has no static method ${method}`);
    }
  }
  return { imported: [...sources.keys()].sort(), checked, problems };
}

/** Method names called at depth 0 of a builder chain starting at `from`, up to `.build()`. */
function builderChain(code: string, from: number): string[] {
  const methods: string[] = [];
  let depth = 0;
  // Skip the arguments of Builder.create( ... ) if we start inside them.
  let i = from;
  if (code[i - 1] === '(') depth = 1;
  for (; i < code.length; i++) {
    const c = code[i];
    if (c === '(') {depth++;} else if (c === ')') {depth--;} else if (c === ';' && depth === 0) {break;} else if (c === '.' && depth === 0) {
      const m = /^\.\s*(\w+)\s*\(/.exec(code.slice(i));
      if (m) {
        if (m[1] === 'build') break;
        methods.push(m[1]);
      }
    }
  }
  return methods;
}
