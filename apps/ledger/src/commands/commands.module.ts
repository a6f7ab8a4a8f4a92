import { Module } from '@nestjs/common';
import { AccreditEvaluatorHttpController } from './accredit-evaluator/accredit-evaluator.http.controller';
import { AccreditEvaluatorHandler } from './accredit-evaluator/accredit-evaluator.handler';
import { AccreditProviderHttpController } from './accredit-provider/accredit-provider.http.controller';
import { AccreditProviderHandler } from './accredit-provider/accredit-provider.handler';
import { EnrollCandidateHttpController } from './enroll-candidate/enroll-candidate.http.controller';
import { EnrollCandidateHandler } from './enroll-candidate/enroll-candidate.handler';
import { IssueCertificateHttpController } from './issue-certificate/issue-certificate.http.controller';
import { IssueCertificateHandler } from './issue-certificate/issue-certificate.handler';
import { IssueCertificatesHttpController } from './issue-certificates/issue-certificates.http.controller';
import { IssueCertificatesHandler } from './issue-certificates/issue-certificates.handler';
import { RecordEvaluationHttpController } from './record-evaluation/record-evaluation.http.controller';
import { RecordEvaluationHandler } from './record-evaluation/record-evaluation.handler';
import { RecordTrainingHttpController } from './record-training/record-training.http.controller';
import { RecordTrainingHandler } from './record-training/record-training.handler';
import { RegisterStandardHttpController } from './register-standard/register-standard.http.controller';
import { RegisterStandardHandler } from './register-standard/register-standard.handler';
import { RevokeCertificateHttpController } from './revoke-certificate/revoke-certificate.http.controller';
import { RevokeCertificateHandler } from './revoke-certificate/revoke-certificate.handler';
import { RevokeEvaluatorAccreditationHttpController } from './revoke-evaluator-accreditation/revoke-evaluator-accreditation.http.controller';
import { RevokeEvaluatorAccreditationHandler } from './revoke-evaluator-accreditation/revoke-evaluator-accreditation.handler';
import { LaunchProgramHttpController } from './launch-program/launch-program.http.controller';
import { LaunchProgramHandler } from './launch-program/launch-program.handler';
import { AmendProgramHttpController } from './amend-program/amend-program.http.controller';
import { ChangeProgramTargetHandler, ExtendProgramPeriodHandler } from './amend-program/amend-program.handler';
import { CertificationImport } from './import/certification-import';
import { EventSourcedRepository } from './shared/event-sourced-repository';
import { FolioCandidates, SubjectIds } from './shared/keyed-ids';

/** API.md's command table, row by row. */
const controllers = [
  RegisterStandardHttpController,
  AccreditProviderHttpController,
  AccreditEvaluatorHttpController,
  RevokeEvaluatorAccreditationHttpController,
  EnrollCandidateHttpController,
  RecordTrainingHttpController,
  RecordEvaluationHttpController,
  IssueCertificateHttpController,
  IssueCertificatesHttpController,
  RevokeCertificateHttpController,
  LaunchProgramHttpController,
  AmendProgramHttpController,
];

const commandHandlers = [
  RegisterStandardHandler,
  AccreditProviderHandler,
  AccreditEvaluatorHandler,
  RevokeEvaluatorAccreditationHandler,
  EnrollCandidateHandler,
  RecordTrainingHandler,
  RecordEvaluationHandler,
  IssueCertificateHandler,
  IssueCertificatesHandler,
  RevokeCertificateHandler,
  LaunchProgramHandler,
  ChangeProgramTargetHandler,
  ExtendProgramPeriodHandler,
];

// CertificationImport: `ledger import certifications`, which runs the handlers above in its own process.
const commandServices = [EventSourcedRepository, SubjectIds, FolioCandidates, CertificationImport];

@Module({ controllers, providers: [...commandHandlers, ...commandServices] })
export class CommandsModule {}
