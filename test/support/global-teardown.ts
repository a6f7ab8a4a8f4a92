import { rmSync } from 'node:fs';
import type { EmbeddedPostgres } from '../../libs/platform/src/testing';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as Record<string, unknown>).__LEDGER_TEST_PG__ as EmbeddedPostgres | undefined;
  await server?.stop();
  const dir = process.env.LEDGER_TEST_PG_DIR;
  if (dir) rmSync(dir, { recursive: true, force: true });
}
