import { Folio } from '@ledger/domain';
import type { DataSource } from 'typeorm';
import type { ReadModelChanges } from '../answer-cache';
import { withReadPositionSink } from '../read-position';
import { CertificateQueries } from './certificate-queries';

/** Changes moved by hand. */
class Changes implements ReadModelChanges {
  count: number | undefined = 0;
  readonly known = new Map<string, bigint>();
  changeCount(): number | undefined {
    return this.count;
  }
  knownPosition(projection: string): bigint {
    return this.known.get(projection) ?? -1n;
  }
}

interface Row {
  folio: string;
  valid_until: string;
  revoked_at: string | null;
}

/**
 * A read-model database of a few certificates, answering the verifications'
 * one statement as PostgreSQL would: the position reached, then a row for
 * each folio asked that it holds, numbered as asked ($1, from 1), its status
 * compared against that folio's own instant ($2), revoked first.
 */
function registry(rows: Row[], position = '40') {
  const statements: unknown[][] = [];
  const dataSource = {
    query: async (_sql: string, parameters: unknown[]) => {
      statements.push(parameters);
      const [folios, nows] = parameters as [string[], string[]];
      const found = folios.flatMap((folio, index) => {
        const row = rows.find((candidate) => candidate.folio === folio);
        if (!row) return [];
        const status = row.revoked_at ? 'revoked' : Date.parse(row.valid_until) < Date.parse(nows[index]) ? 'expired' : 'valid';
        return [
          {
            __reached_position: position,
            __row_found: true,
            asked: index + 1,
            status,
            folio: row.folio,
            standard_code: 'EC0105',
            subject_id: 'a'.repeat(64),
            provider_id: 'ECE322-18',
            evaluator_id: 'eval-0007',
            issued_at: '2024-01-10T18:00:00.000Z',
            valid_until: row.valid_until,
            revoked_at: row.revoked_at,
            holder_name: 'María Pérez',
            standard_title: 'Atención al ciudadano en el sector público',
            provider_name: 'ECE de Baja California',
          },
        ];
      });
      return found.length > 0 ? found : [{ __reached_position: position, __row_found: null }];
    },
  } as unknown as DataSource;
  return { dataSource, statements };
}

const folio = (seed: number) => Folio.fromBytes(Buffer.alloc(8, seed)).value;

describe('CertificateQueries.verify, with its answers kept', () => {
  const VALID_UNTIL = '2029-01-10T18:00:00.000Z';
  const valid = folio(1);
  const revoked = folio(2);
  const setUp = (publicAnswers = 10) => {
    const changes = new Changes();
    const { dataSource, statements } = registry([
      { folio: valid, valid_until: VALID_UNTIL, revoked_at: null },
      { folio: revoked, valid_until: VALID_UNTIL, revoked_at: '2025-03-01T00:00:00.000Z' },
    ]);
    return { changes, statements, queries: new CertificateQueries(dataSource, { changes, publicAnswers }) };
  };

  it('answers a folio again without a query while nothing changed, whatever its spelling, and records the position it was read at', async () => {
    const { queries, statements } = setUp();
    const first = await queries.verify(valid, '2026-01-01T00:00:00.000Z');
    expect(first).toMatchObject({ folio: valid, status: 'valid', holderName: 'María Pérez' });
    const recorded: bigint[] = [];
    const again = await withReadPositionSink({ record: (position) => recorded.push(position) }, () => queries.verify(valid.toLowerCase(), '2026-06-01T00:00:00.000Z'));
    expect(again).toEqual(first);
    expect(recorded).toEqual([40n]);
    expect(statements).toHaveLength(1);
  });

  it('reads again once the clock passes validUntil: a kept valid answer never outlives the certificate', async () => {
    const { queries, statements } = setUp();
    expect((await queries.verify(valid, VALID_UNTIL)).status).toBe('valid');
    expect((await queries.verify(valid, VALID_UNTIL)).status).toBe('valid');
    expect(statements).toHaveLength(1);
    expect((await queries.verify(valid, '2029-01-10T18:00:00.001Z')).status).toBe('expired');
    expect(statements).toHaveLength(2);
    // Expired is kept from then on, as is revoked whatever the clock says.
    expect((await queries.verify(valid, '2030-01-01T00:00:00.000Z')).status).toBe('expired');
    expect(statements).toHaveLength(2);
    expect((await queries.verify(revoked, '2026-01-01T00:00:00.000Z')).status).toBe('revoked');
    expect((await queries.verify(revoked, '2031-01-01T00:00:00.000Z')).status).toBe('revoked');
    expect(statements).toHaveLength(3);
  });

  it('reads again once a read model may have changed, or one of the three it reads is known to be further than the answer', async () => {
    const { queries, statements, changes } = setUp();
    const now = '2026-01-01T00:00:00.000Z';
    await queries.verify(valid, now);
    changes.count = 1;
    await queries.verify(valid, now);
    expect(statements).toHaveLength(2);
    await queries.verify(valid, now);
    expect(statements).toHaveLength(2);
    // The answer stands at 40; the people projection is known at 41 (a rectified name, say), the others further still.
    for (const projection of ['certification', 'registry']) changes.known.set(projection, 50n);
    await queries.verify(valid, now);
    expect(statements).toHaveLength(2);
    changes.known.set('people', 41n);
    await queries.verify(valid, now);
    expect(statements).toHaveLength(3);
  });

  it('keeps no answer for a folio the registry does not hold, nor any while changes cannot be known, nor with publicAnswers 0', async () => {
    const unknown = folio(3);
    const { queries, statements, changes } = setUp();
    const now = '2026-01-01T00:00:00.000Z';
    for (let n = 0; n < 2; n += 1) await expect(queries.verify(unknown, now)).rejects.toMatchObject({ code: 'CERTIFICATE_NOT_FOUND' });
    expect(statements).toHaveLength(2);
    changes.count = undefined;
    await queries.verify(valid, now);
    await queries.verify(valid, now);
    expect(statements).toHaveLength(4);
    const off = setUp(0);
    await off.queries.verify(valid, now);
    await off.queries.verify(valid, now);
    expect(off.statements).toHaveLength(2);
  });

  it('reads the verifications asked in one turn in one statement, each at its own instant, and each request records the position for itself', async () => {
    const unknown = folio(3);
    const { queries, statements } = setUp(0);
    const asks = [
      [valid, '2026-01-01T00:00:00.000Z'],
      [valid, '2029-01-10T18:00:00.001Z'],
      [unknown, '2026-01-01T00:00:00.000Z'],
      [revoked, '2026-01-01T00:00:00.000Z'],
    ] as const;
    const recorded = asks.map((): bigint[] => []);
    const answers = await Promise.allSettled(
      asks.map(([asked, now], index) => withReadPositionSink({ record: (position) => recorded[index].push(position) }, () => queries.verify(asked, now))),
    );
    expect(statements).toEqual([[[valid, valid, unknown, revoked], asks.map(([, now]) => now), ['certification', 'people', 'registry']]]);
    expect(answers.map((answer) => (answer.status === 'fulfilled' ? answer.value.status : (answer.reason as { code: string }).code))).toEqual([
      'valid',
      'expired',
      'CERTIFICATE_NOT_FOUND',
      'revoked',
    ]);
    // The 404 names where the registry stood too, as a single read does.
    expect(recorded).toEqual([[40n], [40n], [40n], [40n]]);
  });

  it('fails every verification of a statement that fails, and reads the next turn afresh', async () => {
    const { queries, statements } = setUp(0);
    const failing = { query: async () => Promise.reject(new Error('connection terminated')) } as unknown as DataSource;
    const down = new CertificateQueries(failing, {});
    const now = '2026-01-01T00:00:00.000Z';
    const answers = await Promise.allSettled([down.verify(valid, now), down.verify(revoked, now)]);
    expect(answers.map((answer) => answer.status === 'rejected' && (answer.reason as Error).message)).toEqual(['connection terminated', 'connection terminated']);
    expect((await queries.verify(valid, now)).status).toBe('valid');
    expect(statements).toHaveLength(1);
  });

  it('refuses a mistyped folio before any query', async () => {
    const { queries, statements } = setUp();
    const typo = `${valid.slice(0, -1)}${valid.endsWith('0') ? '1' : '0'}`;
    await expect(queries.verify(typo)).rejects.toMatchObject({ code: 'FOLIO_CHECK' });
    expect(statements).toHaveLength(0);
  });
});

describe('CertificateQueries.list, with its pages kept', () => {
  const rows = [
    { folio: folio(11), valid_until: '2027-01-10T18:00:00.000Z', revoked_at: null, issued_position: '5' },
    { folio: folio(12), valid_until: '2029-01-10T18:00:00.000Z', revoked_at: null, issued_position: '9' },
    { folio: folio(13), valid_until: '2025-01-10T18:00:00.000Z', revoked_at: null, issued_position: '12' },
    { folio: folio(14), valid_until: '2020-01-10T18:00:00.000Z', revoked_at: '2019-01-01T00:00:00.000Z', issued_position: '15' },
  ];
  /** A page query answered as PostgreSQL would: every row, its status against the statement's instant ($1). */
  const setUp = (listAnswers = 10, copies = 1) => {
    const changes = new Changes();
    const statements: unknown[][] = [];
    const listed = Array.from({ length: copies }, (_, copy) => rows.map((row, n) => ({ ...row, issued_position: String(copy * rows.length + n + 1) }))).flat();
    const dataSource = {
      query: async (sql: string, parameters: unknown[]) => {
        statements.push(parameters);
        const now = Date.parse(parameters[0] as string);
        // The page's LIMIT is the statement's last (the holder's name takes LIMIT 1 before it).
        const limits = [...sql.matchAll(/LIMIT (\d+)/g)];
        const limit = Number(limits[limits.length - 1][1]);
        return listed.slice(0, limit).map((row) => ({
          __reached_position: '40',
          __row_found: true,
          status: row.revoked_at ? 'revoked' : Date.parse(row.valid_until) < now ? 'expired' : 'valid',
          folio: row.folio,
          standard_code: 'EC0105',
          subject_id: 'b'.repeat(64),
          provider_id: 'ECE322-18',
          evaluator_id: 'eval-0007',
          agency: null,
          state: 'BC',
          municipality: null,
          employment: null,
          issued_at: '2022-01-10T18:00:00.000Z',
          valid_until: row.valid_until,
          revoked_at: row.revoked_at,
          revocation_reason: row.revoked_at ? 'Evidencia apócrifa' : null,
          printed_folio: null,
          issued_position: row.issued_position,
          position: row.issued_position,
          holder_name: 'María Pérez',
        }));
      },
    } as unknown as DataSource;
    return { changes, statements, queries: new CertificateQueries(dataSource, { changes, listAnswers }) };
  };

  it('gives a page again without a query while nothing changed and every status on it still holds', async () => {
    const { queries, statements } = setUp();
    const first = await queries.list({}, {}, { limit: 10 }, '2026-01-01T00:00:00.000Z');
    expect(first.items.map((item) => item.status)).toEqual(['valid', 'valid', 'expired', 'revoked']);
    expect(await queries.list({}, {}, { limit: 10 }, '2026-12-31T00:00:00.000Z')).toEqual(first);
    expect(statements).toHaveLength(1);
    // The first valid row expires: the page is read again, and says so.
    const later = await queries.list({}, {}, { limit: 10 }, '2027-01-10T18:00:00.001Z');
    expect(later.items.map((item) => item.status)).toEqual(['expired', 'valid', 'expired', 'revoked']);
    expect(statements).toHaveLength(2);
    // A clock set back before an expired row's validUntil reads again too.
    await queries.list({}, {}, { limit: 10 }, '2024-06-01T00:00:00.000Z');
    expect(statements).toHaveLength(3);
  });

  it('keeps no page longer than the default page of 50: the bound on pages kept is a bound on memory', async () => {
    const { queries, statements } = setUp(10, 15); // 60 certificates
    const now = '2026-01-01T00:00:00.000Z';
    expect((await queries.list({}, {}, { limit: 100 }, now)).items).toHaveLength(60);
    await queries.list({}, {}, { limit: 100 }, now);
    expect(statements).toHaveLength(2);
    expect((await queries.list({}, {}, { limit: 50 }, now)).items).toHaveLength(50);
    await queries.list({}, {}, { limit: 50 }, now);
    expect(statements).toHaveLength(3);
  });

  it('keeps a page per filters, viewer, limit and cursor, and none for a status filter (it picks rows by the clock)', async () => {
    const { queries, statements, changes } = setUp();
    const now = '2026-01-01T00:00:00.000Z';
    await queries.list({}, {}, { limit: 10 }, now);
    await queries.list({}, { state: 'BC' }, { limit: 10 }, now);
    await queries.list({}, { ownProviderId: 'ECE322-18' }, { limit: 10 }, now);
    await queries.list({ state: 'BC' }, {}, { limit: 10 }, now);
    await queries.list({}, {}, { limit: 20 }, now);
    expect(statements).toHaveLength(5);
    await queries.list({}, { state: 'BC' }, { limit: 10 }, now);
    expect(statements).toHaveLength(5);
    await queries.list({ status: 'valid' }, {}, { limit: 10 }, now);
    await queries.list({ status: 'valid' }, {}, { limit: 10 }, now);
    expect(statements).toHaveLength(7);
    changes.count = 1;
    await queries.list({}, { state: 'BC' }, { limit: 10 }, now);
    expect(statements).toHaveLength(8);
  });
});
