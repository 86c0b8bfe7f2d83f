import { spawn } from 'child_process';
import { existsSync } from 'fs';
import { join } from 'path';
import type { ChildResult } from './child';

/** One measurement as the parent saw it: the child's own numbers plus process-level ones. */
export interface Sample extends ChildResult {
  /** Wall time of the whole child process (node start to exit), measured by the parent. */
  readonly processMs: number;
  /** Peak RSS in KiB: from /usr/bin/time -v when present, else the child's own resourceUsage(). */
  readonly peakRssKb: number;
  readonly rssSource: 'time -v' | 'resourceUsage';
}

const GNU_TIME = '/usr/bin/time';

/** Runs one variant at one size in a fresh node process and returns what it measured. */
export async function measureOnce(jsRoot: string, variant: string, functions: number, outdir: string): Promise<Sample> {
  const child = join(jsRoot, 'bench', 'child.js');
  const useTime = existsSync(GNU_TIME);
  const [command, args] = useTime
    ? [GNU_TIME, ['-v', process.execPath, child, variant, String(functions), outdir]]
    : [process.execPath, [child, variant, String(functions), outdir]];
  const started = process.hrtime.bigint();
  const { code, stdout, stderr } = await run(command, args);
  const processMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (code !== 0) {
    throw new Error(`benchmark child ${variant}/${functions} exited with ${code}:\n${stderr.slice(-4000)}`);
  }
  const line = stdout.trim().split('\n').pop() ?? '';
  const result = JSON.parse(line) as ChildResult;
  const timeRss = useTime ? /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] : undefined;
  return {
    ...result,
    processMs,
    peakRssKb: timeRss ? Number(timeRss) : result.maxRssKb,
    rssSource: timeRss ? 'time -v' : 'resourceUsage',
  };
}

function run(command: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' },
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    proc.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    proc.on('error', reject);
    proc.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
