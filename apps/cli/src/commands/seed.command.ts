import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { cliContext } from '../cli-context';
import { DEFAULT_DEMO_PEOPLE, DemoScenario } from '../seed/demo-scenario';
import { HttpSeedClient, SeedCommandRefused } from '../seed/http-seed-client';
import { freePort } from '@ledger/platform';
import { exitOf, startLedgerProcess } from '../ledger-process';
import { OperatorError, type CliCommand } from './cli-command';

interface SeedOptions {
  people: number;
  concurrency: number;
  url?: string;
}

function positiveInteger(max: number): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value < 1 || value > max) throw new InvalidArgumentError(`expected a whole number from 1 to ${max}`);
    return value;
  };
}

/**
 * `ledger seed demo [--people N] [--url URL]`: loads the demo dataset through
 * the command API, so every rule applies as for real clients and nothing is
 * written as rows. Without --url it starts the ledger as a child process (same
 * configuration and data folder as `npm start`; it shares an embedded
 * PostgreSQL that a running server holds) on a free loopback port, and stops
 * it after.
 */
export const seedCommand: CliCommand = {
  register(program: Command): void {
    program
      .command('seed')
      .description('Load a dataset through the command API')
      .argument('<dataset>', 'the dataset to load: demo')
      .option('--people <n>', `public servants to enroll (default ${DEFAULT_DEMO_PEOPLE})`, positiveInteger(1_000_000), DEFAULT_DEMO_PEOPLE)
      .option('--concurrency <n>', 'commands in flight at once', positiveInteger(64), 8)
      .option('--url <url>', 'a running ledger to send the commands to (default: start one in this process)')
      .action(async (dataset: string, options: SeedOptions) => {
        if (dataset !== 'demo') throw new InvalidArgumentError(`unknown dataset "${dataset}"; known: demo`);
        await seedDemo(options);
      });
  },
};

async function seedDemo(options: SeedOptions): Promise<void> {
  const { secrets } = cliContext();
  const server = options.url ? undefined : await startLedgerHere();
  const baseUrl = options.url ?? server!.url;
  const bar = new SingleBar({ format: 'seed demo |{bar}| {percentage}% {value}/{total} commands', etaBuffer: 200 }, Presets.shades_classic);
  bar.start(1, 0);
  try {
    const scenario = new DemoScenario(new HttpSeedClient(baseUrl, secrets.tokenKey), {
      people: options.people,
      concurrency: options.concurrency,
      onProgress: (done, total) => bar.setTotal(total) ?? bar.update(done),
    });
    const summary = await scenario.run();
    bar.stop();
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  } catch (error) {
    bar.stop();
    if (error instanceof SeedCommandRefused && error.problem.code === 'STANDARD_ALREADY_REGISTERED') {
      throw new OperatorError('this ledger already holds the demo standards; seed demo loads into an empty ledger (use a new LEDGER_DATA_DIR or database)');
    }
    throw error;
  } finally {
    await server?.close();
  }
}

/** The ledger server as `npm start` runs it, in a child process on a free loopback port, stopped when the seed ends (or the CLI dies). */
async function startLedgerHere(): Promise<{ url: string; close(): Promise<void> }> {
  const port = await freePort();
  // Request logs would drown the progress bar; warnings and errors still show, on stderr.
  const child = startLedgerProcess('main', [], { env: { PORT: String(port), LEDGER_HOST: '127.0.0.1', LOG_LEVEL: 'warn' }, stdout: 'stderr' });
  const exited = exitOf(child);
  const url = `http://127.0.0.1:${port}`;
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new OperatorError(`the ledger could not start (exit ${child.exitCode}); its messages are above`);
    const healthy = await fetch(`${url}/health`).then((response) => response.ok, () => false);
    if (healthy) return { url, close };
    if (Date.now() > deadline) {
      await close();
      throw new OperatorError('the ledger did not answer /health within 120 s');
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 200));
  }
}
