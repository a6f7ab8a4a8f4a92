import { Pool } from 'pg';
import { APPENDED_CHANNEL } from './schema';

/**
 * Holds one pooled connection in LISTEN on the append channel, so that
 * appends committed by other processes wake this process's subscriptions.
 * It is an optimisation only: when the connection is down, subscriptions
 * still poll, and the next `ensureListening()` tries again.
 */
export class LogListener {
  /** Releases the listening connection; null when not listening. */
  private stopListening: (() => void) | null = null;
  private connecting: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly pool: Pool,
    private readonly onAppended: () => void,
  ) {}

  ensureListening(): void {
    if (this.closed || this.stopListening || this.connecting) return;
    this.connecting = this.listen()
      .catch(() => undefined)
      .finally(() => (this.connecting = null));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.connecting;
    this.stopListening?.();
  }

  private async listen(): Promise<void> {
    const client = await this.pool.connect();
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      if (this.stopListening === release) this.stopListening = null;
      client.removeAllListeners('notification');
      client.release(true);
    };
    // An unhandled 'error' on a checked-out client would crash the process.
    client.on('error', release);
    client.on('notification', () => this.onAppended());
    try {
      await client.query(`LISTEN ${APPENDED_CHANNEL}`);
    } catch (error) {
      release();
      throw error;
    }
    if (this.closed) return release();
    this.stopListening = release;
    // Appends committed while nobody listened would otherwise wait for a poll.
    this.onAppended();
  }
}
