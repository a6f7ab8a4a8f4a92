import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class PersonLookupResponse {
  @ApiProperty({ example: '9f2c…', description: 'The opaque id of the CURP\'s current subject' })
  subjectId: string;
}

export class RectificationView {
  @ApiProperty({ nullable: true, type: String, description: 'null once the data is erased' })
  fullName: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'null for rectifications recorded without one, and once erased' })
  reason: string | null;
  @ApiProperty()
  rectifiedAt: string;
  @ApiProperty({ description: 'Global position of the rectification' })
  position: string;
}

export class PersonCertificateView {
  @ApiProperty()
  processId: string;
  @ApiProperty()
  standardCode: string;
  @ApiProperty()
  enrolledAt: string;
  @ApiProperty({ enum: ['open', 'certified', 'revoked'] })
  status: 'open' | 'certified' | 'revoked';
  @ApiPropertyOptional({ type: String, nullable: true })
  folio: string | null;
  @ApiPropertyOptional({ type: String, nullable: true })
  issuedAt: string | null;
  @ApiPropertyOptional({ type: String, nullable: true })
  validUntil: string | null;
  @ApiPropertyOptional({ type: String, nullable: true })
  revokedAt: string | null;
}

/** ARCO access: what the ledger holds about the person, read from the person stream through the vault. */
export class PersonalDataResponse {
  @ApiProperty()
  subjectId: string;
  @ApiProperty({ enum: ['registered', 'erased'] })
  status: 'registered' | 'erased';
  @ApiProperty({ nullable: true, type: String, description: 'null once erased' })
  curp: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The current name; null once erased' })
  fullName: string | null;
  @ApiProperty()
  registeredAt: string;
  @ApiProperty({ type: [RectificationView] })
  rectifications: RectificationView[];
  @ApiPropertyOptional({ type: String, nullable: true })
  erasedAt: string | null;
  @ApiPropertyOptional({ type: String, nullable: true })
  erasureRequestFolio: string | null;
  @ApiProperty({ type: [PersonCertificateView], description: 'Every process and certificate about the person; these stay after erasure' })
  certificates: PersonCertificateView[];
}

export class ErasureResponse {
  @ApiProperty({ description: 'Global position of PersonalDataErased' })
  position: string;
  @ApiProperty()
  subjectId: string;
  @ApiProperty({ description: 'The data key is destroyed: nothing can bring the personal data back' })
  keyDestroyed: true;
}
