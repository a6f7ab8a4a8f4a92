import { ApiProperty } from '@nestjs/swagger';
import { CERTIFICATE_PROOF_FORMAT, CERTIFICATE_PROOF_ROLES, type CertificateProofBundle, type CertificateProofEntry, type CertificateProofRole } from '@ledger/verifiable-log';

/**
 * The OpenAPI description of a certificate's proof bundle. The classes
 * implement the bundle's types, so a member added to the format fails the
 * type check until its documentation follows.
 */
const CHECKPOINT_EXAMPLE = 'certification-ledger.local/log\n40\nq5sVQ1bTgEDfVOSKSMX3vLmMdNkvORiyVw/EP2JS6wQ=\n\n— certification-ledger.local/log 0fKnjpCJk8GY…\n';

export class CertificateProofEntryResponse implements CertificateProofEntry {
  @ApiProperty({ enum: [...CERTIFICATE_PROOF_ROLES], description: 'issuance, enrollment, judgment, accreditation, then revocation when the checkpoint holds one, in that order' })
  role: CertificateProofRole;
  @ApiProperty({ description: 'The event type', example: 'CertificateIssued' }) type: string;
  @ApiProperty({ description: "The event's position in the log (decimal)", example: '31' }) position: string;
  @ApiProperty({ description: 'Its leaf index in the tree', example: 31 }) leafIndex: number;
  @ApiProperty({ format: 'byte', description: 'The entry: the exact bytes its leaf hashes (RFC 8785 JSON of {id, type, streamId, revision, data, metadata}), base64' })
  entry: string;
  @ApiProperty({ description: "c2sp.org/tlog-proof@v1 of the entry in the bundle's checkpoint", example: `c2sp.org/tlog-proof@v1\nindex 31\n…\n\n${CHECKPOINT_EXAMPLE}` })
  proof: string;
}

export class CertificateProofResponse implements CertificateProofBundle {
  @ApiProperty({ enum: [CERTIFICATE_PROOF_FORMAT] }) format: typeof CERTIFICATE_PROOF_FORMAT;
  @ApiProperty({ example: '7K3M-9QXD-2HBT-B' }) folio: string;
  @ApiProperty({ description: 'The signed checkpoint (C2SP tlog-checkpoint) every proof and the status are of', example: CHECKPOINT_EXAMPLE }) checkpoint: string;
  @ApiProperty({ type: [CertificateProofEntryResponse], minItems: 4, maxItems: 5 }) entries: CertificateProofEntryResponse[];
  @ApiProperty({
    description:
      'A signed note by the log key: certification-ledger/certificate-status@v1, folio, status (valid, revoked, expired), as-of (the instant), tree (size and root of the checkpoint), then one line per entry: role, position, leaf index, base64 leaf hash',
  })
  status: string;
}
