import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, ValidateBy } from 'class-validator';
import { IsLedgerPosition, POSITION_SCHEMA } from '../queries/dto/read-query.dto';
import { parseTreeSize, TREE_SIZE_MESSAGE, TREE_SIZE_SCHEMA } from './tree-size';

export { parseTreeSize, TREE_SIZE_MESSAGE, TREE_SIZE_SCHEMA };

function IsTreeSize(): PropertyDecorator {
  return ValidateBy({
    name: 'isTreeSize',
    validator: { validate: (value) => parseTreeSize(value) !== null, defaultMessage: (args) => `${args?.property} ${TREE_SIZE_MESSAGE}` },
  });
}

export class InclusionProofQuery {
  @ApiPropertyOptional({ ...POSITION_SCHEMA, description: "The event's position in the log (a command answers it); this or leafIndex" })
  @IsOptional()
  @IsLedgerPosition()
  position?: string;

  @ApiPropertyOptional({ ...TREE_SIZE_SCHEMA, description: 'Or the leaf index, 0-based in the global order (what an auditor sampling the tree asks for)' })
  @IsOptional()
  @IsTreeSize()
  leafIndex?: string;

  @ApiPropertyOptional({ ...TREE_SIZE_SCHEMA, description: 'The tree to prove inclusion in; default: the latest checkpoint’s' })
  @IsOptional()
  @IsTreeSize()
  treeSize?: string;
}

export class ConsistencyProofQuery {
  @ApiProperty({ ...TREE_SIZE_SCHEMA, description: 'The older tree size (at least 1)' })
  @IsTreeSize()
  from: string;

  @ApiProperty({ ...TREE_SIZE_SCHEMA, description: 'The newer tree size, at most the tree’s' })
  @IsTreeSize()
  to: string;
}

export class InclusionProofResponse {
  @ApiProperty({ ...POSITION_SCHEMA }) position: string;
  @ApiProperty({ example: 41, description: "The event's leaf index, 0-based in the global order" }) leafIndex: number;
  @ApiProperty({ example: 1042 }) treeSize: number;
  @ApiProperty({ format: 'byte', description: 'SHA-256(0x00 ‖ entry), base64' }) leafHash: string;
  @ApiProperty({ type: [String], format: 'byte', description: 'RFC 9162 inclusion path, leaf sibling first, base64' }) hashes: string[];
}

export class ConsistencyProofResponse {
  @ApiProperty({ example: 1000 }) from: number;
  @ApiProperty({ example: 1042 }) to: number;
  @ApiProperty({ type: [String], format: 'byte', description: 'RFC 9162 consistency proof, base64' }) hashes: string[];
}
