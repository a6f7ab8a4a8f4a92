import { Column, Entity, PrimaryColumn } from 'typeorm';

/** `read_models.processes`: a certification process as it stands now. */
@Entity({ schema: 'read_models', name: 'processes', synchronize: false })
export class ProcessEntity {
  @PrimaryColumn({ name: 'process_id', type: 'text' }) processId: string;
  @Column({ name: 'subject_id', type: 'text' }) subjectId: string;
  @Column({ name: 'standard_code', type: 'text' }) standardCode: string;
  @Column({ name: 'standard_version', type: 'text' }) standardVersion: string;
  @Column({ name: 'validity_years', type: 'integer' }) validityYears: number;
  @Column({ name: 'provider_id', type: 'text' }) providerId: string;
  @Column({ name: 'centre_id', type: 'text' }) centreId: string;
  @Column({ type: 'text' }) agency: string;
  @Column({ type: 'text' }) state: string;
  @Column({ type: 'text', nullable: true }) municipality: string | null;
  @Column({ type: 'text' }) employment: string;
  @Column({ name: 'enrolled_at', type: 'timestamptz', nullable: true }) enrolledAt: Date | null;
  @Column({ type: 'text' }) status: string;
  @Column({ name: 'last_result', type: 'text', nullable: true }) lastResult: string | null;
  @Column({ name: 'evaluator_id', type: 'text', nullable: true }) evaluatorId: string | null;
  @Column({ name: 'evaluated_at', type: 'timestamptz', nullable: true }) evaluatedAt: Date | null;
  @Column({ type: 'text', nullable: true }) folio: string | null;
  @Column({ name: 'issued_at', type: 'timestamptz', nullable: true }) issuedAt: Date | null;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt: Date | null;
  @Column({ name: 'enrolled_position', type: 'bigint' }) enrolledPosition: string;
  @Column({ type: 'bigint' }) position: string;
}
