import { Column, Entity, PrimaryColumn } from 'typeorm';

/** `read_models.certificates`: a view over the certification projection's active generation. */
@Entity({ schema: 'read_models', name: 'certificates', synchronize: false })
export class CertificateEntity {
  @PrimaryColumn({ type: 'text' }) folio: string;
  @Column({ name: 'process_id', type: 'text' }) processId: string;
  @Column({ name: 'subject_id', type: 'text' }) subjectId: string;
  @Column({ name: 'standard_code', type: 'text' }) standardCode: string;
  @Column({ name: 'provider_id', type: 'text' }) providerId: string;
  @Column({ name: 'evaluator_id', type: 'text' }) evaluatorId: string;
  @Column({ type: 'text', nullable: true }) agency: string | null;
  @Column({ type: 'text', nullable: true }) state: string | null;
  @Column({ type: 'text', nullable: true }) municipality: string | null;
  @Column({ type: 'text', nullable: true }) employment: string | null;
  @Column({ name: 'issued_at', type: 'timestamptz' }) issuedAt: Date;
  @Column({ name: 'valid_until', type: 'timestamptz' }) validUntil: Date;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt: Date | null;
  @Column({ name: 'revocation_reason', type: 'text', nullable: true }) revocationReason: string | null;
  /** Positions are bigint: TypeORM hands them over as decimal strings, which is how the API sends them. */
  @Column({ name: 'issued_position', type: 'bigint' }) issuedPosition: string;
  @Column({ name: 'revoked_position', type: 'bigint', nullable: true }) revokedPosition: string | null;
  @Column({ type: 'bigint' }) position: string;
}
