import { Column, Entity, PrimaryColumn } from 'typeorm';

/** `read_models.holder_names`: a person's name from each registration or rectification. */
@Entity({ schema: 'read_models', name: 'holder_names', synchronize: false })
export class HolderNameEntity {
  @PrimaryColumn({ name: 'subject_id', type: 'text' }) subjectId: string;
  @PrimaryColumn({ type: 'bigint' }) position: string;
  @Column({ name: 'full_name', type: 'text' }) fullName: string;
  @Column({ name: 'effective_at', type: 'timestamptz' }) effectiveAt: Date;
}
