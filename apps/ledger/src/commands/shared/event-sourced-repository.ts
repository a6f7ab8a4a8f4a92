import { Inject, Injectable } from '@nestjs/common';
import { DomainError, type CommandMetadata, type Decider } from '@ledger/domain';
import { SubjectErasedError, type PersonalDataVault } from '@ledger/personal-data';
import {
  EVENT_STORE,
  occurredAtOf,
  parseLedgerEvent,
  schemaVersionOf,
  type EventStore,
  type ExpectedRevision,
  type LedgerEvent,
  type NewEvent,
  type RecordedEvent,
} from '@ledger/event-store';
import type { CommandCaller } from '../../platform/idempotency/command-caller';
import { eventIdFor } from '../../platform/idempotency/command-ids';
import { PERSONAL_DATA_VAULT } from '../../privacy/personal-data.module';
import { withConcurrencyRetry } from './concurrency-retry';
import { LedgerClock } from '../../platform/clock/ledger-clock';

/** A stream read and folded: the state to decide on and the revision to append at. */
export interface LoadedStream<S> {
  streamId: string;
  state: S;
  /** `no_stream` for a stream with no events yet, else the revision of its last event. */
  expectedRevision: ExpectedRevision;
  recorded: readonly RecordedEvent[];
}

/** The result of a command on one stream. */
export interface StreamOutcome<S> {
  /** Global position of the command's last event (or of the stream's last event when nothing was new). */
  position: bigint;
  /** The stream's state after the command. */
  state: S;
}

export type Evolver<E, S> = Pick<Decider<unknown, E, S>, 'evolve' | 'initialState'>;

/** The events a command already stored on a stream: found when a command is retried after a crash. */
export function eventsOfCommand(loaded: LoadedStream<unknown>, commandId: string): RecordedEvent[] {
  return loaded.recorded.filter((event) => event.metadata.commandId === commandId);
}

export function lastPositionOf(loaded: LoadedStream<unknown>): bigint {
  return loaded.recorded.at(-1)?.position ?? -1n;
}

/** A stream to load with loadEach, and the decider that folds it. */
export interface Load<S = unknown> {
  readonly streamId: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly decider: Evolver<any, S>;
}

/** What loadEach gives for a Load (or for none). */
export type LoadedOf<T> = T extends Load<infer S> ? LoadedStream<S> : undefined;

/** A Load, typed by its decider's state. */
export function loadOf<E extends LedgerEvent, S>(streamId: string, decider: Evolver<E, S>): Load<S> {
  return { streamId, decider };
}

/**
 * The load → fold → decide → append mechanics every command handler shares,
 * so handlers only say which streams and which decision.
 */
@Injectable()
export class EventSourcedRepository {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
    private readonly clock: LedgerClock,
  ) {}

  /** What a decider sees of the caller and the clock. */
  metadataFor(caller: CommandCaller): CommandMetadata {
    return { actor: caller.actor, now: this.clock.now().toISOString() };
  }

  /** The stream folded, its personal data opened by the vault (an erased person's reads as null). */
  async load<E extends LedgerEvent, S>(streamId: string, decider: Evolver<E, S>): Promise<LoadedStream<S>> {
    return this.folded(streamId, await this.store.readStream(streamId), decider);
  }

  /**
   * Several streams folded as load folds each, read from the store in one
   * go (one round trip on PostgreSQL); an undefined entry stays undefined.
   */
  async loadEach<const L extends readonly (Load | undefined)[]>(loads: L): Promise<{ [K in keyof L]: LoadedOf<L[K]> }> {
    const read = await this.store.readStreams(loads.flatMap((load) => (load ? [load.streamId] : [])));
    const loaded = await Promise.all(loads.map((load) => (load ? this.folded(load.streamId, read.get(load.streamId) ?? [], load.decider) : undefined)));
    return loaded as { [K in keyof L]: LoadedOf<L[K]> };
  }

  private async folded<E extends LedgerEvent, S>(streamId: string, stored: readonly RecordedEvent[], decider: Evolver<E, S>): Promise<LoadedStream<S>> {
    const recorded = await this.vault.open(stored);
    const state = recorded.reduce((current, event) => decider.evolve(current, parseLedgerEvent(event) as E), decider.initialState);
    const last = recorded.at(-1);
    return { streamId, state, expectedRevision: last === undefined ? 'no_stream' : last.revision, recorded };
  }

  /**
   * Appends with the given expected revision. Event ids derive from the
   * command id, the stream and the index, so a retried command offers the
   * store the same ids and the store keeps the first copy only.
   */
  async append(streamId: string, events: readonly LedgerEvent[], expectedRevision: ExpectedRevision, caller: CommandCaller): Promise<bigint> {
    const recordedAt = this.clock.now().toISOString();
    const stored = await this.sealed(streamId, events, expectedRevision);
    const newEvents: NewEvent[] = events.map((event, index) => ({
      id: eventIdFor(caller.commandId, streamId, index),
      type: event.type,
      data: stored[index],
      metadata: {
        // Who acted, as the token named them; a reader's scope (jurisdiction) is not part of the record.
        actor: { id: caller.actor.id, role: caller.actor.role, organizationId: caller.actor.organizationId },
        commandId: caller.commandId,
        correlationId: caller.correlationId,
        causationId: caller.causationId ?? caller.commandId,
        occurredAt: occurredAtOf(event),
        recordedAt,
        schemaVersion: schemaVersionOf(event.type),
      },
    }));
    const result = await this.store.appendToStream(streamId, newEvents, { expectedRevision });
    return result.position;
  }

  /**
   * The data to store: personal fields sealed by the vault, bound to the
   * revision each event will have (known from the expected revision; an
   * append that does not know it cannot seal, and is a bug here).
   */
  private async sealed(streamId: string, events: readonly LedgerEvent[], expectedRevision: ExpectedRevision): Promise<unknown[]> {
    const first = expectedRevision === 'no_stream' ? 0n : typeof expectedRevision === 'bigint' ? expectedRevision + 1n : undefined;
    if (first === undefined) {
      if (streamId.startsWith('person-')) throw new Error(`person streams are appended at a known revision, not ${expectedRevision}`);
      return events.map((event) => event.data);
    }
    try {
      return await this.vault.seal(
        streamId,
        events.map((event, index) => ({ type: event.type, data: event.data, revision: first + BigInt(index) })),
      );
    } catch (error) {
      if (error instanceof SubjectErasedError) throw new DomainError('PERSON_ERASED', 'the personal data of this person was erased; nothing more is recorded about it', { subjectId: error.subjectId });
      throw error;
    }
  }

  /**
   * The whole cycle for a command on one stream, retried on a concurrent
   * write. A command already applied (same command id found on the stream)
   * is answered from what it stored; a decision of "nothing to do" (the
   * domain's idempotent retry) is answered with the stream as it is.
   */
  async decideAndAppend<C, E extends LedgerEvent, S>(
    streamId: string,
    decider: Decider<C, E, S>,
    commandOf: (loaded: LoadedStream<S>, metadata: CommandMetadata) => NoInfer<C>,
    caller: CommandCaller,
  ): Promise<StreamOutcome<S>> {
    return withConcurrencyRetry(async () => {
      const loaded = await this.load(streamId, decider);
      const already = eventsOfCommand(loaded, caller.commandId);
      if (already.length > 0) return { position: already[already.length - 1].position, state: loaded.state };
      const events = decider.decide(commandOf(loaded, this.metadataFor(caller)), loaded.state);
      if (events.length === 0) return { position: lastPositionOf(loaded), state: loaded.state };
      const position = await this.append(streamId, events, loaded.expectedRevision, caller);
      return { position, state: events.reduce(decider.evolve, loaded.state) };
    });
  }
}
