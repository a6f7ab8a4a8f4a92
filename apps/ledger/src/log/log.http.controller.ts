import { applyDecorators, Controller, Get, Header, Param, Query, Req, Res, UseInterceptors, type Type } from '@nestjs/common';
import { NoQueryParametersInterceptor } from '../platform/http/no-query-parameters.interceptor';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { createHash } from 'node:crypto';
import { parsePosition } from '@ledger/read-models';
import { Public } from '../platform/auth/public.decorator';
import { Roles } from '../platform/auth/roles.decorator';
import { validationFailed } from '../platform/errors/request-validation';
import type { HttpRequest, HttpResponse } from '../platform/http/http-types';
import { ApiWithoutToken, BEARER_SCHEME } from '../platform/openapi/openapi';
import { HEADERS_TOO_LARGE_ANSWER, problemAnswer, PUBLIC_RATE_LIMITED_ANSWER, RATE_LIMITED_ANSWER, RETRY_AFTER_HEADER, UNAUTHENTICATED_ANSWER } from '../platform/openapi/openapi-answers';
import { POSITION_MESSAGE, POSITION_SCHEMA } from '../queries/dto/read-query.dto';
import { LogAnswers } from './log-answers';
import { ConsistencyProofQuery, ConsistencyProofResponse, InclusionProofQuery, InclusionProofResponse, parseTreeSize, TREE_SIZE_MESSAGE, TREE_SIZE_SCHEMA } from './log.dto';

/** Static bytes: a tile, a checkpoint of a given size and an entry never change; mirrors and witnesses may keep them. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The latest checkpoint changes every few seconds while the log grows. */
const CHANGING = 'no-cache';

const STORE_UNAVAILABLE = problemAnswer(503, 'STORE_UNAVAILABLE: the log cannot be read right now; see Retry-After', RETRY_AFTER_HEADER);

function LogRoute(options: {
  operationId: string;
  summary: string;
  description?: string;
  type?: Type<unknown>;
  produces?: string;
  notFound?: string;
  /** The route reads its query string (proofs); the others refuse any. */
  readsQuery?: boolean;
}): MethodDecorator {
  const body = options.type ? { type: options.type } : { content: { [options.produces ?? 'text/plain']: { schema: { type: 'string', ...(options.produces === 'application/octet-stream' ? { format: 'binary' } : {}) } } } };
  return applyDecorators(
    Public(),
    ...(options.readsQuery ? [] : [UseInterceptors(NoQueryParametersInterceptor)]),
    ApiWithoutToken(),
    ApiOperation({ operationId: options.operationId, summary: options.summary, ...(options.description ? { description: options.description } : {}) }),
    ApiOkResponse({ description: options.summary, ...body }),
    ApiResponse(problemAnswer(400, 'VALIDATION_FAILED naming the parameter')),
    ...(options.notFound ? [ApiResponse(problemAnswer(404, options.notFound))] : []),
    ApiResponse(PUBLIC_RATE_LIMITED_ANSWER),
    ApiResponse(HEADERS_TOO_LARGE_ANSWER),
    ApiResponse(STORE_UNAVAILABLE),
  );
}

/**
 * The verifiable log (C2SP tlog-checkpoint, signed-note, tlog-tiles; RFC 9162
 * proofs): what mirrors, witnesses and auditors read to check, with a few
 * hashes, that the log only grows and that an event is in it. Everything but
 * the entries (which hold personal data on person streams) is public.
 */
@ApiTags('log')
@Controller('v1/log')
export class LogHttpController {
  constructor(private readonly log: LogAnswers) {}

  @Get('checkpoint')
  @LogRoute({
    operationId: 'getLatestCheckpoint',
    summary: 'The latest signed checkpoint: origin, tree size, base64 root, a blank line, the Ed25519 signature line',
    notFound: 'CHECKPOINT_NOT_FOUND: none signed yet (a new ledger signs its first within seconds)',
  })
  @Header('Content-Type', 'text/plain; charset=utf-8')
  async checkpoint(@Res({ passthrough: true }) response: HttpResponse): Promise<string> {
    const { note } = await this.log.latestCheckpoint();
    response.setHeader('Cache-Control', CHANGING);
    return note;
  }

  @Get('checkpoints/:treeSize')
  @ApiParam({ name: 'treeSize', schema: TREE_SIZE_SCHEMA })
  @LogRoute({ operationId: 'getCheckpoint', summary: 'The checkpoint signed at exactly that tree size', notFound: 'CHECKPOINT_NOT_FOUND: none was signed at that size' })
  async checkpointOfSize(@Param('treeSize') text: string, @Req() request: HttpRequest, @Res() response: HttpResponse): Promise<void> {
    const treeSize = parseTreeSize(text);
    if (treeSize === null) throw validationFailed([{ field: 'treeSize', code: 'INVALID_FIELD', message: `treeSize ${TREE_SIZE_MESSAGE}` }]);
    const { note } = await this.log.checkpointOfSize(treeSize);
    sendImmutable(request, response, 'text/plain; charset=utf-8', note);
  }

  @Get('key')
  @LogRoute({ operationId: 'getLogKey', summary: 'The verifier key of the log: <name>+<hex key id>+<base64(0x01 ‖ Ed25519 public key)>' })
  @Header('Content-Type', 'text/plain; charset=utf-8')
  key(@Res({ passthrough: true }) response: HttpResponse): string {
    response.setHeader('Cache-Control', CHANGING);
    return `${this.log.key()}\n`;
  }

  @Get('tile/*path')
  @ApiParam({ name: 'path', description: 'Below tile/: <L>/<N>[.p/<W>], N in groups of three digits (x001/x234/067)', schema: { type: 'string', example: '0/x001/067' } })
  @LogRoute({
    operationId: 'getHashTile',
    summary: 'A C2SP hash tile: W hashes of tree level 8·L, 32 bytes each',
    produces: 'application/octet-stream',
    notFound: 'TILE_NOT_FOUND: the tree does not hold it (yet)',
  })
  @ApiProduces('application/octet-stream')
  async tile(@Param('path') path: string | string[], @Req() request: HttpRequest, @Res() response: HttpResponse): Promise<void> {
    const bytes = await this.log.tile(Array.isArray(path) ? path.join('/') : path);
    sendImmutable(request, response, 'application/octet-stream', bytes);
  }

  @Get('proofs/inclusion')
  @LogRoute({
    operationId: 'getInclusionProof',
    summary: "An RFC 9162 inclusion proof of the event at a position (or leaf index), in the latest checkpoint's tree or one of a given size",
    type: InclusionProofResponse,
    readsQuery: true,
    notFound: 'LEAF_NOT_FOUND: no event of the tree is at that position or leaf index; CHECKPOINT_NOT_FOUND: none signed yet',
  })
  async inclusion(@Query() query: InclusionProofQuery): Promise<InclusionProofResponse> {
    if ((query.position === undefined) === (query.leafIndex === undefined)) {
      throw validationFailed([{ field: 'position', code: 'INVALID_FIELD', message: 'give the event by exactly one of position and leafIndex' }]);
    }
    const treeSize = query.treeSize === undefined ? undefined : (parseTreeSize(query.treeSize) ?? undefined);
    const leaf = query.position !== undefined ? { position: BigInt(query.position) } : { leafIndex: parseTreeSize(query.leafIndex)! };
    return this.log.inclusionProof(leaf, treeSize);
  }

  @Get('proofs/consistency')
  @LogRoute({ operationId: 'getConsistencyProof', summary: 'An RFC 9162 consistency proof between two tree sizes', type: ConsistencyProofResponse, readsQuery: true })
  async consistency(@Query() query: ConsistencyProofQuery): Promise<ConsistencyProofResponse> {
    return this.log.consistencyProof(parseTreeSize(query.from)!, parseTreeSize(query.to)!);
  }

  @Get('entries/:position')
  @Roles('comptroller')
  @UseInterceptors(NoQueryParametersInterceptor)
  @ApiBearerAuth(BEARER_SCHEME)
  @ApiParam({ name: 'position', schema: POSITION_SCHEMA })
  @ApiOperation({
    operationId: 'getLogEntry',
    summary: "The entry of the event at a position, exactly as its leaf hashes it (RFC 8785 JSON of id, type, streamId, revision, data, metadata); comptroller only: person streams hold personal data",
  })
  @ApiProduces('application/json')
  @ApiOkResponse({ description: 'The entry bytes', content: { 'application/json': { schema: { type: 'object' } } } })
  @ApiResponse(problemAnswer(400, 'VALIDATION_FAILED naming the position'))
  @ApiResponse(UNAUTHENTICATED_ANSWER)
  @ApiResponse(problemAnswer(403, 'ROLE_NOT_ALLOWED: only comptroller may ask'))
  @ApiResponse(problemAnswer(404, 'ENTRY_NOT_FOUND: no event of the tree at that position'))
  @ApiResponse(RATE_LIMITED_ANSWER)
  @ApiResponse(HEADERS_TOO_LARGE_ANSWER)
  @ApiResponse(STORE_UNAVAILABLE)
  async entry(@Param('position') text: string, @Req() request: HttpRequest, @Res() response: HttpResponse): Promise<void> {
    const position = parsePosition(text);
    if (position === null) throw validationFailed([{ field: 'position', code: 'INVALID_FIELD', message: `position ${POSITION_MESSAGE}` }]);
    const entry = await this.log.entry(position);
    // Personal data on person streams: immutable, but no shared cache may keep it.
    sendImmutable(request, response, 'application/json', entry, 'private, no-store');
  }
}

/**
 * Bytes that never change, sent as they are: cacheable for good (unless
 * told otherwise), with a strong ETag; a request that already holds them
 * (If-None-Match) is answered 304 without a body.
 */
function sendImmutable(request: HttpRequest, response: HttpResponse, contentType: string, body: Buffer | string, cacheControl = IMMUTABLE): void {
  const etag = `"${createHash('sha256').update(body).digest('base64url')}"`;
  response.setHeader('Cache-Control', cacheControl);
  response.setHeader('ETag', etag);
  const held = String(request.headers['if-none-match'] ?? '').split(',').map((tag) => tag.trim());
  if (held.includes(etag) || held.includes(`W/${etag}`)) {
    response.statusCode = 304;
    response.end();
    return;
  }
  response.statusCode = 200;
  response.setHeader('Content-Type', contentType);
  response.end(body);
}

