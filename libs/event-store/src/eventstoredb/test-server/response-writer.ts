import { once } from 'node:events';
import type { ServerWritableStream } from '@grpc/grpc-js';
import type { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';

/**
 * The response side of one Read call: writes that wait while the client's
 * HTTP/2 window is full (so a slow subscriber slows its pump instead of
 * filling memory), and a `closed` signal once the client cancels, the
 * deadline passes or the server drops the connection.
 */
export class ResponseWriter {
  private isClosed = false;
  readonly closed: Promise<void>;

  constructor(private readonly call: ServerWritableStream<ReadReq, ReadResp>) {
    this.closed = new Promise<void>((resolve) => {
      const close = (): void => {
        this.isClosed = true;
        resolve();
      };
      call.once('cancelled', close);
      call.once('close', close);
      call.once('error', close);
    });
  }

  get isOpen(): boolean {
    return !this.isClosed && !this.call.cancelled;
  }

  async write(message: ReadResp): Promise<void> {
    if (!this.isOpen) return;
    if (this.call.write(message)) return;
    await Promise.race([once(this.call, 'drain'), this.closed]);
  }

  end(): void {
    if (this.isOpen) this.call.end();
  }
}
