import { Inject, Injectable, Logger, Module, OnModuleDestroy, type Provider } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { guardedPool, type LedgerConfig, type LedgerDatabase, type LedgerSecrets } from '@ledger/platform';
import { CheckpointSigner, CheckpointWatcher, ensureGenerations, lastSignedCheckpointFile, ledgerProjectionsFor, ProjectionRunner } from '@ledger/projections';
import { parseSignerKey } from '@ledger/verifiable-log';
import {
  AccreditationQueries,
  AuditQueries,
  CertificateQueries,
  CertificationStatsQueries,
  createReadModelDataSource,
  EnrollmentQueries,
  FindingQueries,
  PROGRAM_PROJECTIONS,
  ProgramQueries,
  ProvenanceQueries,
  REPORT_PROJECTIONS,
  runReadModelMigrations,
  KeptTransparencyReports,
  TransparencyReports,
} from '@ledger/read-models';
import { AccessLogModule } from '../access-log/access-log.module';
import { LEDGER_CONFIG, LEDGER_DATABASE, LEDGER_SECRETS } from '../platform/config/config.tokens';
import type { PersonalDataVault } from '@ledger/personal-data';
import { PERSONAL_DATA_VAULT } from '../privacy/personal-data.module';
import { AuditHttpController } from './controllers/audit.http.controller';
import { CertificatesHttpController } from './controllers/certificates.http.controller';
import { EnrollmentsHttpController } from './controllers/enrollments.http.controller';
import { EvaluatorsHttpController } from './controllers/evaluators.http.controller';
import { PeopleHttpController } from './controllers/people.http.controller';
import { PublicCertificatesHttpController } from './controllers/public-certificates.http.controller';
import { PublicCredentialsHttpController } from './controllers/public-credentials.http.controller';
import { PublicProofsHttpController } from './controllers/public-proofs.http.controller';
import { CertificateProofs } from './certificate-proofs';
import { FindingsHttpController } from './controllers/findings.http.controller';
import { ProgramsHttpController } from './controllers/programs.http.controller';
import { ReportsHttpController } from './controllers/reports.http.controller';
import { StatsHttpController } from './controllers/stats.http.controller';
import { AccessLogHttpController } from '../access-log/access-log.http.controller';
import { READ_MODELS, CHECKPOINT_SIGNER, CHECKPOINT_WATCHER, MIN_POSITION_WAIT_MS, PROJECTION_RUNNER } from './read-side.tokens';
import { ReadYourWritesPipe } from './read-your-writes.pipe';

const logger = new Logger('ReadSide');

/**
 * Migrates the read side, gives every projection an active generation (so
 * the views queries read exist before the first request), then opens the
 * TypeORM DataSource the queries use.
 */
async function openReadModels(config: LedgerConfig, database: LedgerDatabase): Promise<DataSource> {
  await runReadModelMigrations(database.url);
  const pool = guardedPool({ connectionString: database.url, max: 1 }, (error) => logger.warn(`PostgreSQL connection failed: ${error.message}`));
  try {
    await ensureGenerations(pool, ledgerProjectionsFor(config));
  } finally {
    await pool.end();
  }
  const dataSource = createReadModelDataSource(database.url);
  return dataSource.initialize();
}

/** The projector inside the ledger process, unless LEDGER_PROJECTOR=off says it runs as apps/projector. */
async function startProjector(config: LedgerConfig, database: LedgerDatabase, store: EventStore, vault: PersonalDataVault): Promise<ProjectionRunner | null> {
  if (config.projector !== 'in-process') return null;
  const runner = new ProjectionRunner({
    connectionString: database.url,
    store,
    projections: ledgerProjectionsFor(config),
    personalData: vault,
    log: (message, level) => (level === 'error' ? logger.error(message) : level === 'warn' ? logger.warn(message) : logger.log(message)),
  });
  await runner.start();
  return runner;
}

/** Signs the verifiable log's checkpoints where the projector (and so the log builder) runs. */
function startCheckpointSigner(config: LedgerConfig, secrets: LedgerSecrets, database: LedgerDatabase): CheckpointSigner | null {
  if (config.projector !== 'in-process') return null;
  const signer = new CheckpointSigner({
    connectionString: database.url,
    signer: parseSignerKey(secrets.logKey),
    intervalMs: config.checkpointIntervalMs,
    lastSignedFile: lastSignedCheckpointFile(config.dataDir),
    log: (message, level) => (level === 'error' ? logger.error(message) : level === 'warn' ? logger.warn(message) : logger.log(message)),
  });
  signer.start();
  return signer;
}

async function startWatcher(database: LedgerDatabase): Promise<CheckpointWatcher> {
  const watcher = new CheckpointWatcher({ connectionString: database.url, log: (message) => logger.warn(message) });
  await watcher.start();
  return watcher;
}

const infrastructure: Provider[] = [
  { provide: READ_MODELS, inject: [LEDGER_CONFIG, LEDGER_DATABASE], useFactory: openReadModels },
  // After READ_MODELS: the projector needs the migrated control table.
  { provide: PROJECTION_RUNNER, inject: [LEDGER_CONFIG, LEDGER_DATABASE, EVENT_STORE, PERSONAL_DATA_VAULT, READ_MODELS], useFactory: startProjector },
  { provide: CHECKPOINT_WATCHER, inject: [LEDGER_DATABASE, READ_MODELS], useFactory: startWatcher },
  { provide: CHECKPOINT_SIGNER, inject: [LEDGER_CONFIG, LEDGER_SECRETS, LEDGER_DATABASE, READ_MODELS], useFactory: startCheckpointSigner },
];

/** Pages of certificates kept while nothing they show can have changed: a comptroller's dashboard asks the same few (about 35 KB a page of 50). */
const CERTIFICATE_PAGES_KEPT = 512;

/** Transparency reports kept (within LEDGER_REPORT_ANSWERS_MB): those of up to 1,000 certificates; a day of an agency in a state is some tens. */
const REPORT_ROWS_KEPT = 1_000;

const queryServices: Provider[] = [
  {
    provide: CertificateQueries,
    inject: [READ_MODELS, CHECKPOINT_WATCHER, LEDGER_CONFIG],
    useFactory: (ds: DataSource, watcher: CheckpointWatcher, config: LedgerConfig) =>
      new CertificateQueries(ds, { changes: watcher, publicAnswers: config.publicAnswers, listAnswers: CERTIFICATE_PAGES_KEPT }),
  },
  {
    provide: CertificationStatsQueries,
    inject: [READ_MODELS, CHECKPOINT_WATCHER],
    useFactory: (ds: DataSource, watcher: CheckpointWatcher) => new CertificationStatsQueries(ds, watcher),
  },
  { provide: AuditQueries, inject: [READ_MODELS], useFactory: (ds: DataSource) => new AuditQueries(ds) },
  { provide: FindingQueries, inject: [READ_MODELS], useFactory: (ds: DataSource) => new FindingQueries(ds) },
  { provide: ProvenanceQueries, inject: [READ_MODELS], useFactory: (ds: DataSource) => new ProvenanceQueries(ds) },
  { provide: EnrollmentQueries, inject: [READ_MODELS], useFactory: (ds: DataSource) => new EnrollmentQueries(ds) },
  CertificateProofs,
  { provide: AccreditationQueries, inject: [READ_MODELS], useFactory: (ds: DataSource) => new AccreditationQueries(ds) },
  {
    provide: KeptTransparencyReports,
    inject: [READ_MODELS, CHECKPOINT_WATCHER, LEDGER_CONFIG],
    useFactory: (ds: DataSource, watcher: CheckpointWatcher, config: LedgerConfig) =>
      new KeptTransparencyReports(new TransparencyReports(ds, (position) => watcher.waitForPosition(position, MIN_POSITION_WAIT_MS, REPORT_PROJECTIONS)), {
        changes: watcher,
        maxKeptRows: REPORT_ROWS_KEPT,
        maxBytes: config.reportAnswersMb * 1024 * 1024,
      }),
  },
  {
    provide: ProgramQueries,
    inject: [READ_MODELS, CHECKPOINT_WATCHER],
    useFactory: (ds: DataSource, watcher: CheckpointWatcher) =>
      new ProgramQueries(ds, (position) => watcher.waitForPosition(position, MIN_POSITION_WAIT_MS, PROGRAM_PROJECTIONS)),
  },
];

const queryControllers = [
  CertificatesHttpController,
  PublicCertificatesHttpController,
  PublicCredentialsHttpController,
  PublicProofsHttpController,
  EnrollmentsHttpController,
  PeopleHttpController,
  AuditHttpController,
  StatsHttpController,
  ReportsHttpController,
  ProgramsHttpController,
  FindingsHttpController,
  EvaluatorsHttpController,
  AccessLogHttpController,
];

/**
 * Stops the projector and closes the read side's connections when the app
 * closes. This runs at module destruction, before the storage module closes
 * the event store and the database in its application-shutdown hook.
 */
@Injectable()
class ReadSideShutdown implements OnModuleDestroy {
  constructor(
    @Inject(PROJECTION_RUNNER) private readonly runner: ProjectionRunner | null,
    @Inject(CHECKPOINT_SIGNER) private readonly signer: CheckpointSigner | null,
    @Inject(CHECKPOINT_WATCHER) private readonly watcher: CheckpointWatcher,
    @Inject(READ_MODELS) private readonly readModels: DataSource,
  ) {}

  async onModuleDestroy(): Promise<void> {
    await this.signer?.stop();
    await this.runner?.stop();
    await this.watcher.stop();
    await this.readModels.destroy();
  }
}

/**
 * The read side of the ledger: query routes over the read models, and the
 * projector in-process (embedded mode and single-instance deployments).
 * Needs the platform's global LEDGER_CONFIG, LEDGER_DATABASE and EVENT_STORE.
 */
@Module({
  // Routes that show personal data record their reads (@RecordsAccess, AccessLog).
  imports: [AccessLogModule],
  controllers: queryControllers,
  providers: [...infrastructure, ...queryServices, ReadYourWritesPipe, ReadSideShutdown],
})
export class ReadSideModule {}
