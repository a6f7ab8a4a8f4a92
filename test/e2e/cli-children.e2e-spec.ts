import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { compiledApp } from '../support/compiled-apps';
import { eventually } from '../support/eventually';
import { temporaryDataDir } from './support/ledger-server';

/** The pids of a process's children (Linux: /proc/<pid>/task/<tid>/children). */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Processes whose command line names `path` (an embedded PostgreSQL runs with its data folder there). */
function processesUsing(path: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(path);
      } catch {
        return false;
      }
    })
    .map(Number);
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * The CLI starts the ledger's processes (the server for `seed demo` without
 * --url, the import task for `ledger import`) tied to itself: killed with
 * SIGKILL mid-way, it leaves no ledger behind.
 */
describe('the CLI’s ledger processes, when the CLI is killed', () => {
  const data = temporaryDataDir();
  afterAll(() => data.remove());

  it('given `seed demo` running its own ledger, when the CLI is killed -9, then that ledger ends too', async () => {
    const cli = spawn(process.execPath, [compiledApp('cli'), 'seed', 'demo', '--people', '50'], {
      env: { ...process.env, LEDGER_DATA_DIR: data.dir, DATABASE_URL: '', EVENTSTORE_CONNECTION_STRING: '' },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => cli.once('exit', resolve));
    // The ledger it started is its child node process, answering on a loopback port once up.
    const ledgerPid = await eventually(() => childrenOf(cli.pid!).find((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('apps/ledger/src/main')), 60_000, 50, 'the seed’s ledger to start');
    cli.kill('SIGKILL');
    await exited;
    await eventually(() => !alive(ledgerPid), 30_000, 50, 'the seed’s ledger to end with its CLI');
    expect(alive(ledgerPid)).toBe(false);
    // And the embedded PostgreSQL it ran in the data folder was stopped with it.
    await eventually(() => processesUsing(data.dir).length === 0, 30_000, 100, 'the embedded PostgreSQL to stop');
  });
});
