/**
 * The port's subscription to $all on top of EventStoreDB's catch-up
 * subscription, which does not survive its connection: when the gRPC call
 * fails (node restart, network drop, leader change), the client's subscription
 * just ends with an error. This one then subscribes again from the position of
 * the last event it received, so the consumer sees no gap and no repeat.
 *
 * Pull-based like the PostgreSQL subscription: it reads the next event from
 * the gRPC stream only when the consumer asks for one, so a slow consumer
 * holds back the server through HTTP/2 flow control instead of filling memory.
 */
import {
  START,
  eventTypeFilter,
  excludeSystemEvents,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type EventStoreDBClient,
  type Filter,
} from '@eventstore/db-client';
import type { AllSubscription, Position, RecordedEvent, SubscribeToAllOptions } from '../event-store.port';
import { isConnectionFailure, isInvalidPosition, unreadablePosition } from './client-errors';
import { isSystemEventType, positionOf, toClientPosition, toRecordedEvent } from './event-mapping';

export interface ReconnectPolicy {
  /** Wait before the first new attempt after a drop. */
  initialDelayMs: number;
  /** The wait doubles per failed attempt up to this. */
  maxDelayMs: number;
}

export class EventStoreDbAllSubscription implements AllSubscription {
  /** Position of the last event received from the server: the resume point. */
  private lastPosition: Position | undefined;
  /** The fromPosition asked for, while it may still turn out to be unreadable (see unreadablePosition). */
  private unconfirmedStart: Position | undefined;
  private readonly eventTypes: ReadonlySet<string> | undefined;
  private readonly caughtUpSignal = signal();
  private current: AllStreamSubscription | undefined;
  /** Aborted by close(), which also cuts short a wait before resubscribing. */
  private readonly closing = new AbortController();
  private iterated = false;

  constructor(
    private readonly client: EventStoreDBClient,
    options: SubscribeToAllOptions,
    private readonly reconnect: ReconnectPolicy,
    private readonly onClosed: (subscription: EventStoreDbAllSubscription) => void,
  ) {
    // Negative: the head of an empty log (headPosition() = -1): from the start.
    this.lastPosition = options.fromPosition !== undefined && options.fromPosition > 0n ? options.fromPosition : undefined;
    this.unconfirmedStart = this.lastPosition;
    this.eventTypes = options.eventTypes ? new Set(options.eventTypes) : undefined;
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    if (this.iterated) throw new Error('A subscription can be iterated only once');
    this.iterated = true;
    return this.deliver();
  }

  caughtUp(): Promise<void> {
    return this.caughtUpSignal.promise;
  }

  async close(): Promise<void> {
    if (this.isClosed) return;
    this.closing.abort();
    this.caughtUpSignal.reject(new Error('Subscription closed before it caught up'));
    await this.stopCurrent();
    this.onClosed(this);
  }

  private get isClosed(): boolean {
    return this.closing.signal.aborted;
  }

  private async *deliver(): AsyncGenerator<RecordedEvent> {
    let failedAttempts = 0;
    try {
      while (!this.isClosed) {
        try {
          yield* this.deliverFromOneSubscription(() => (failedAttempts = 0));
        } catch (error) {
          if (this.isClosed) return;
          if (isInvalidPosition(error)) {
            this.lowerUnreadableStart();
            continue;
          }
          if (!isConnectionFailure(error)) throw error;
        }
        // The call ended or failed while we still want events: the connection is gone.
        await sleep(backoff(this.reconnect, failedAttempts++), this.closing.signal);
      }
    } catch (error) {
      this.caughtUpSignal.reject(error);
      throw error;
    } finally {
      await this.close();
    }
  }

  /**
   * One gRPC subscription, from the resume point until it ends. The server
   * says `caught_up` once it has sent everything stored when it got there;
   * the events before that message may still sit unread in the client's
   * stream buffer, so the caught-up point is "after the events received so
   * far plus those buffered". It is reached when the last of them is handed
   * to the consumer (as in the PostgreSQL adapter: caughtUp() must not wait
   * for a consumer that stops pulling once it has what it wanted).
   */
  private async *deliverFromOneSubscription(onProgress: () => void): AsyncGenerator<RecordedEvent> {
    const subscription = this.subscribe();
    let received = 0;
    let caughtUpAfter: number | undefined;
    const checkCaughtUp = (): void => {
      if (caughtUpAfter !== undefined && received >= caughtUpAfter) this.caughtUpSignal.resolve();
    };
    // A confirmed subscription is a working connection again: start the backoff over.
    subscription.on('confirmation', () => {
      this.unconfirmedStart = undefined;
      onProgress();
    });
    subscription.on('caughtUp', () => {
      caughtUpAfter ??= received + subscription.readableLength;
      checkCaughtUp();
    });
    try {
      for await (const resolved of subscription as AsyncIterable<AllStreamResolvedEvent>) {
        received++;
        const event = this.accept(resolved);
        checkCaughtUp();
        if (event) yield event;
        if (this.isClosed) return;
      }
    } finally {
      await this.stopCurrent();
    }
  }

  /**
   * Subscribing is exclusive of the position, so one lower serves as well:
   * nothing can start between an event and the byte after it. Only once, and
   * only for the position the caller gave; a resume point is always an event's.
   */
  private lowerUnreadableStart(): void {
    const start = this.unconfirmedStart;
    if (start === undefined || this.lastPosition !== start) throw unreadablePosition(this.lastPosition ?? 0n);
    this.unconfirmedStart = undefined;
    this.lastPosition = start - 1n;
  }

  private subscribe(): AllStreamSubscription {
    const fromPosition = this.lastPosition === undefined ? START : toClientPosition(this.lastPosition);
    this.current = this.client.subscribeToAll({ fromPosition, filter: this.serverFilter() });
    return this.current;
  }

  /**
   * The server filters, so filtered-out events never cross the network. Its
   * checkpoints are not used as resume points: EventStoreDB starts a
   * subscription after the first event at or past the given position, which is
   * exact only for the position of an event this subscription has seen.
   */
  private serverFilter(): Filter {
    if (!this.eventTypes) return excludeSystemEvents();
    if (this.eventTypes.size === 0) return eventTypeFilter({ regex: '(?!)' });
    return eventTypeFilter({ regex: `^(?:${[...this.eventTypes].map(escapeRegex).join('|')})$` });
  }

  /** Drops what was already delivered before a resubscription, and anything the filter should have kept out. */
  private accept(resolved: AllStreamResolvedEvent): RecordedEvent | undefined {
    const position = positionOf(resolved);
    if (this.lastPosition !== undefined && position <= this.lastPosition) return undefined;
    this.lastPosition = position;
    const type = resolved.event?.type ?? '$>';
    if (this.eventTypes ? !this.eventTypes.has(type) : isSystemEventType(type)) return undefined;
    return toRecordedEvent(resolved);
  }

  private async stopCurrent(): Promise<void> {
    const subscription = this.current;
    this.current = undefined;
    if (!subscription) return;
    // unsubscribe() cancels the gRPC call; destroy() ends a pending read of the client's stream.
    await subscription.unsubscribe();
    subscription.destroy();
  }
}

function backoff(policy: ReconnectPolicy, failedAttempts: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** failedAttempts);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Resolves after `ms`, or at once when `abort` fires. */
function sleep(ms: number, abort: AbortSignal): Promise<void> {
  if (abort.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      abort.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    abort.addEventListener('abort', done, { once: true });
  });
}

/** A promise settled from outside; settling twice is ignored, and nobody awaiting it is not an unhandled rejection. */
function signal(): { promise: Promise<void>; resolve(): void; reject(error: unknown): void } {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
