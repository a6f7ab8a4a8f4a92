import { randomUUID } from 'node:crypto';

/**
 * The command side's clock and fresh ids, in one provider: what `now` a
 * decider sees and every event's recordedAt, and the id of a command sent
 * without an Idempotency-Key. Production reads the system (SystemClock); a
 * spec gives a FixedClock and gets the same answer every run. Plain classes,
 * so that specs need no Nest to make one.
 */
export abstract class LedgerClock {
  abstract now(): Date;
  abstract newId(): string;
}

export class SystemClock extends LedgerClock {
  now(): Date {
    return new Date();
  }

  newId(): string {
    return randomUUID();
  }
}

/** A clock that says what it is told, and ids from a counter (valid UUIDs): for specs. */
export class FixedClock extends LedgerClock {
  private issued = 0;

  constructor(private instant: Date) {
    super();
  }

  now(): Date {
    return new Date(this.instant.getTime());
  }

  advance(ms: number): void {
    this.instant = new Date(this.instant.getTime() + ms);
  }

  newId(): string {
    this.issued += 1;
    return `00000000-0000-4000-8000-${this.issued.toString(16).padStart(12, '0')}`;
  }
}
