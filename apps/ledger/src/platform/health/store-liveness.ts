import { answerWithin } from './answer-within';

/**
 * Whether the event store answers, as the ledger last saw it, so that
 * `GET /health` answers from memory instead of asking the store on every
 * call (a load balancer's probe, a monitor every second, or a flood of them
 * must not become a flood of queries).
 *
 * The store is asked in the background every `intervalMs` (one probe at a
 * time, each given `timeoutMs`), and whatever the ledger learns from its
 * requests counts too: a request that found the store unreachable
 * (storeFailed) makes it not answering at once, until a probe begun after
 * that failure succeeds, and asks for that probe straight away. So /health
 * says 503 as soon as a request has met an outage, and within one interval
 * and a timeout when nothing asked; and 200 again within one interval once
 * the store is back.
 */
export interface StoreLivenessOptions {
  /** Asks the store something cheap (its head position); resolves when it answered. */
  readonly probe: () => Promise<unknown>;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** A clock in milliseconds (performance.now by default). */
  readonly now?: () => number;
}

export class StoreLiveness {
  private readonly now: () => number;
  /** When the last successful probe began; -Infinity before the first. */
  private answeredAt = Number.NEGATIVE_INFINITY;
  private up = false;
  /** Counts the failures requests reported: a probe that began before the last of them cannot clear it. */
  private failures = 0;
  private probing: Promise<void> | undefined;
  /** A failure was reported while a probe ran: another follows it. */
  private again = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: StoreLivenessOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  /** Probes once (so that the answer is known before the server listens), then every interval. */
  async start(): Promise<void> {
    await this.check();
    this.timer ??= setInterval(() => void this.check(), this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.probing;
  }

  /**
   * The store answered the last probe, which began at most an interval and
   * two timeouts ago (a probe that hangs, or a loop that stalls, does not
   * keep an old answer alive), and no request has met it unreachable since.
   */
  get answers(): boolean {
    return this.up && this.now() - this.answeredAt <= this.options.intervalMs + 2 * this.options.timeoutMs;
  }

  /** A request found the store unreachable: not answering until a probe begun after now succeeds. */
  storeFailed(): void {
    this.failures += 1;
    this.up = false;
    if (this.probing) this.again = true;
    else void this.check();
  }

  /** One probe; while one runs, that one. */
  check(): Promise<void> {
    this.probing ??= this.probeOnce().finally(() => {
      this.probing = undefined;
      if (!this.again || this.timer === undefined) return;
      this.again = false;
      void this.check();
    });
    return this.probing;
  }

  private async probeOnce(): Promise<void> {
    const failures = this.failures;
    const began = this.now();
    const answered = !((await answerWithin(this.options.probe(), this.options.timeoutMs)) instanceof Error);
    // A request met the store unreachable while this probe ran: only a probe begun after that (the next) may say it is back.
    if (failures !== this.failures) return;
    this.up = answered;
    if (answered) this.answeredAt = began;
  }
}
