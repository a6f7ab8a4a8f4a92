import { CopyFromStdin } from './copy-from';

describe('CopyFromStdin', () => {
  const settledWith = (copy: CopyFromStdin) => {
    const calls: Array<[Error | null, unknown]> = [];
    copy.callback = (error, result) => calls.push([error, result]);
    return calls;
  };

  it('settles with the row count when the server is ready again', () => {
    const copy = new CopyFromStdin('COPY t FROM STDIN', Buffer.from('1\n'));
    const calls = settledWith(copy);
    copy.handleCommandComplete({ text: 'COPY 1' });
    copy.handleReadyForQuery();
    expect(calls).toEqual([[null, { rowCount: 1 }]]);
  });

  it('settles at once on an error, since a lost connection never sends ReadyForQuery', () => {
    const copy = new CopyFromStdin('COPY t FROM STDIN', Buffer.from('1\n'));
    const calls = settledWith(copy);
    const lost = new Error('Connection terminated unexpectedly');
    copy.handleError(lost);
    expect(calls).toEqual([[lost, undefined]]);
    // A server-side error is followed by ReadyForQuery: still settled only once.
    copy.handleReadyForQuery();
    expect(calls).toHaveLength(1);
  });
});
