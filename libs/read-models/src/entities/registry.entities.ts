import { Column, Entity, PrimaryColumn } from 'typeorm';

/** `read_models.standards`. */
@Entity({ schema: 'read_models', name: 'standards', synchronize: false })
export class StandardEntity {
  @PrimaryColumn({ type: 'text' }) code: string;
  @Column({ type: 'text' }) version: string;
  @Column({ type: 'text' }) title: string;
  @Column({ name: 'validity_years', type: 'integer' }) validityYears: number;
  @Column({ type: 'text' }) status: string;
  @Column({ name: 'registered_at', type: 'timestamptz' }) registeredAt: Date;
  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true }) retiredAt: Date | null;
  @Column({ type: 'bigint' }) position: string;
}

/** `read_models.providers`: each provider's accreditation in force now. */
@Entity({ schema: 'read_models', name: 'providers', synchronize: false })
export class ProviderEntity {
  @PrimaryColumn({ name: 'provider_id', type: 'text' }) providerId: string;
  @Column({ type: 'text' }) kind: string;
  @Column({ type: 'text' }) name: string;
  @Column({ name: 'accreditation_code', type: 'text' }) accreditationCode: string;
  @Column({ type: 'jsonb' }) standards: string[];
  /** Calendar dates stay `YYYY-MM-DD` strings. */
  @Column({ name: 'valid_from', type: 'date' }) validFrom: string;
  @Column({ name: 'valid_until', type: 'date' }) validUntil: string;
  @Column({ name: 'parent_provider_id', type: 'text', nullable: true }) parentProviderId: string | null;
  @Column({ name: 'accredited_at', type: 'timestamptz' }) accreditedAt: Date;
  @Column({ type: 'bigint' }) position: string;
}

/** `read_models.evaluator_accreditations`: every credential an evaluator held, per standard and issuing provider. */
@Entity({ schema: 'read_models', name: 'evaluator_accreditations', synchronize: false })
export class EvaluatorAccreditationEntity {
  @PrimaryColumn({ name: 'evaluator_id', type: 'text' }) evaluatorId: string;
  @PrimaryColumn({ name: 'standard_code', type: 'text' }) standardCode: string;
  @PrimaryColumn({ type: 'bigint' }) position: string;
  @Column({ name: 'subject_id', type: 'text' }) subjectId: string;
  @Column({ name: 'provider_id', type: 'text' }) providerId: string;
  @Column({ name: 'credential_folio', type: 'text' }) credentialFolio: string;
  /** Null only where the log held no usable date. */
  @Column({ name: 'valid_from', type: 'date', nullable: true }) validFrom: string | null;
  @Column({ name: 'valid_until', type: 'date' }) validUntil: string;
  @Column({ name: 'accredited_at', type: 'timestamptz' }) accreditedAt: Date;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt: Date | null;
  @Column({ name: 'revocation_reason', type: 'text', nullable: true }) revocationReason: string | null;
  @Column({ name: 'revoked_position', type: 'bigint', nullable: true }) revokedPosition: string | null;
}
