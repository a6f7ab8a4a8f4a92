import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const LIFELINE = resolve(__dirname, 'lifeline.ts');

/** A child that keeps itself alive with a timer and reports how it ended; its parent is this test, holding its stdin. */
function child(env: NodeJS.ProcessEnv) {
  const script = `require(${JSON.stringify(LIFELINE)}).exitWithParent(() => { process.stdout.write('parent gone'); process.exit(3); });
    process.stdin.on('end', () => setImmediate(() => process.stdout.write('stdin closed')));
    process.stdin.resume();
    setInterval(() => undefined, 1000);
    process.stdout.write('ready');`;
  const started = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  const waiters: { text: string; done: () => void }[] = [];
  started.stdout.on('data', (chunk) => {
    output += chunk;
    for (const waiter of waiters.filter((w) => output.includes(w.text))) waiter.done();
  });
  const said = (text: string) => new Promise<void>((done) => (output.includes(text) ? done() : waiters.push({ text, done })));
  const ready = said('ready');
  const exited = new Promise<number | null>((resolveExit) => started.once('exit', resolveExit));
  return { started, ready, said, exited, output: () => output };
}

describe('exitWithParent (LEDGER_LIFELINE=stdin)', () => {
  jest.setTimeout(30_000);

  it('given the lifeline, when the parent’s end of stdin closes, then the process ends', async () => {
    const process1 = child({ LEDGER_LIFELINE: 'stdin' });
    await process1.ready;
    process1.started.stdin.end();
    expect(await process1.exited).toBe(3);
    expect(process1.output()).toContain('parent gone');
  });

  it('given no lifeline, when stdin closes, then the process goes on until it is stopped', async () => {
    const process2 = child({ LEDGER_LIFELINE: '' });
    await process2.ready;
    process2.started.stdin.end();
    // The child saw its stdin close, and is still running: only the signal ends it.
    await process2.said('stdin closed');
    expect(process2.started.exitCode).toBeNull();
    process2.started.kill('SIGTERM');
    expect(await process2.exited).toBeNull();
    expect(process2.output()).not.toContain('parent gone');
  });
});
