import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '../../..');

export interface BinRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command-line tool of an installed devDependency with this Node, in
 * its own process: both tools the contract suite uses are ES modules, which
 * Jest's module system cannot load in-process. Nothing installed globally is
 * used, and the tools are told not to phone home (CI reaches only the npm
 * registry).
 */
export function runPackageBin(binPath: string, args: string[], cwd: string, timeoutMs = 60_000): Promise<BinRun> {
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1', FORCE_COLOR: '0' };
  return new Promise((resolveRun, rejectRun) => {
    execFile(process.execPath, [join(REPO_ROOT, 'node_modules', binPath), ...args], { cwd, env, timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return rejectRun(error);
      resolveRun({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
    });
  });
}
