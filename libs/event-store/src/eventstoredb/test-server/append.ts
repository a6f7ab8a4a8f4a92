/**
 * Streams.Append: client-streaming, first an `options` message (stream and
 * expected revision), then one `proposed_message` per event; one AppendResp
 * at the end. A wrong expected version is a normal response
 * (`wrong_expected_version`), not an error status, as in EventStoreDB ≥ 21.
 */
import { Metadata, status, type sendUnaryData, type ServerErrorResponse, type ServerReadableStream } from '@grpc/grpc-js';
import { AppendReq, AppendResp } from '@eventstore/db-client/generated/streams_pb';
import type { AppendOutcome, InMemoryLog, ProposedEvent } from './in-memory-log';
import type { ExpectedVersion } from './append-decision';
import { empty, parseUuid, streamNameOf } from './wire';

type AppendCall = ServerReadableStream<AppendReq, AppendResp>;

export function appendHandler(log: InMemoryLog): (call: AppendCall, callback: sendUnaryData<AppendResp>) => void {
  return (call, callback) => {
    const messages: AppendReq[] = [];
    call.on('data', (message: AppendReq) => messages.push(message));
    call.on('end', () => {
      try {
        callback(null, appendMessages(log, messages));
      } catch (error) {
        callback(asServiceError(error));
      }
    });
  };
}

function appendMessages(log: InMemoryLog, messages: readonly AppendReq[]): AppendResp {
  const [header, ...proposed] = messages;
  const options = header?.getOptions();
  if (!options) throw new AppendRejected(status.INVALID_ARGUMENT, 'the first AppendReq must carry options');
  const streamName = streamNameOf(options.getStreamIdentifier());
  if (!streamName) throw new AppendRejected(status.INVALID_ARGUMENT, 'empty stream name');
  const events = proposed.map(proposedEvent);
  const outcome = log.append(streamName, expectedVersionOf(options), events);
  return responseOf(outcome, options);
}

function expectedVersionOf(options: AppendReq.Options): ExpectedVersion {
  if (options.hasRevision()) return BigInt(options.getRevision());
  if (options.hasNoStream()) return 'no_stream';
  if (options.hasStreamExists()) return 'stream_exists';
  return 'any';
}

/** `type` and `content-type` are required metadata; the id must be a UUID. */
function proposedEvent(message: AppendReq): ProposedEvent {
  const proposed = message.getProposedMessage();
  if (!proposed) throw new AppendRejected(status.INVALID_ARGUMENT, 'expected a proposed message after the options');
  const eventId = parseUuid(proposed.getId());
  if (!eventId) throw new AppendRejected(status.INVALID_ARGUMENT, 'event id is not a UUID');
  const metadata = proposed.getMetadataMap();
  const type = metadata.get('type');
  const contentType = metadata.get('content-type');
  if (type === undefined) throw missingMetadata('type');
  if (contentType === undefined) throw missingMetadata('content-type');
  return { eventId, type, contentType, data: proposed.getData_asU8(), metadata: proposed.getCustomMetadata_asU8() };
}

function responseOf(outcome: AppendOutcome, options: AppendReq.Options): AppendResp {
  switch (outcome.kind) {
    case 'written':
    case 'idempotent':
      return new AppendResp().setSuccess(successAt(outcome.lastRevision, outcome.position));
    case 'nothing_written':
      return new AppendResp().setSuccess(successWithoutPosition(outcome.currentRevision));
    case 'wrong_expected_version':
      return new AppendResp().setWrongExpectedVersion(wrongExpectedVersion(outcome.currentRevision, options));
  }
}

function successAt(revision: bigint, position: bigint): AppendResp.Success {
  const at = new AppendResp.Position().setCommitPosition(position.toString(10)).setPreparePosition(position.toString(10));
  return new AppendResp.Success().setCurrentRevision(revision.toString(10)).setPosition(at);
}

function successWithoutPosition(current: bigint | 'no_stream'): AppendResp.Success {
  const success = new AppendResp.Success().setNoPosition(empty());
  return current === 'no_stream' ? success.setNoStream(empty()) : success.setCurrentRevision(current.toString(10));
}

/**
 * The current fields (current_revision / current_no_stream, expected_*).
 * The deprecated "_20_6_0" fields are left out: this client never reads them.
 */
function wrongExpectedVersion(current: bigint | 'no_stream', options: AppendReq.Options): AppendResp.WrongExpectedVersion {
  const wrong = new AppendResp.WrongExpectedVersion();
  if (current === 'no_stream') wrong.setCurrentNoStream(empty());
  else wrong.setCurrentRevision(current.toString(10));
  if (options.hasRevision()) wrong.setExpectedRevision(options.getRevision());
  else if (options.hasNoStream()) wrong.setExpectedNoStream(empty());
  else if (options.hasStreamExists()) wrong.setExpectedStreamExists(empty());
  else wrong.setExpectedAny(empty());
  return wrong;
}

class AppendRejected extends Error {
  constructor(readonly code: status, message: string, readonly metadata = new Metadata()) {
    super(message);
  }
}

/** The client maps the `exception` trailer to its typed errors. */
function missingMetadata(property: string): AppendRejected {
  const metadata = new Metadata();
  metadata.set('exception', 'missing-required-metadata-property');
  metadata.set('required-metadata-properties', property);
  return new AppendRejected(status.INVALID_ARGUMENT, `required metadata property ${property} is missing`, metadata);
}

function asServiceError(error: unknown): ServerErrorResponse {
  if (error instanceof AppendRejected) return Object.assign(new Error(error.message), { code: error.code, metadata: error.metadata });
  return Object.assign(new Error(`test server: ${String(error)}`), { code: status.INTERNAL });
}
