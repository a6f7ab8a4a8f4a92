import { StoreLiveness } from './store-liveness';

/** A probe the test answers by hand, and a clock it moves by hand. */
function harness() {
  let clock = 0;
  const pending: { resolve: () => void; reject: (error: Error) => void }[] = [];
  let probes = 0;
  const liveness = new StoreLiveness({
    probe: () => {
      probes += 1;
      return new Promise<void>((resolve, reject) => pending.push({ resolve, reject }));
    },
    intervalMs: 1_000,
    timeoutMs: 2_000,
    now: () => clock,
  });
  return {
    liveness,
    probes: () => probes,
    inFlight: () => pending.length,
    answer: async () => {
      pending.shift()!.resolve();
      await flush();
    },
    fail: async () => {
      pending.shift()!.reject(new Error('ECONNREFUSED'));
      await flush();
    },
    advance: (ms: number) => (clock += ms),
  };
}

async function flush(): Promise<void> {
  for (let turn = 0; turn < 10; turn += 1) await Promise.resolve();
}

describe('whether the event store answers, as /health tells it', () => {
  it('does not answer before the first probe succeeds, then answers while probes succeed', async () => {
    const { liveness, answer, fail, probes } = harness();
    expect(liveness.answers).toBe(false);
    const first = liveness.check();
    await answer();
    await first;
    expect(liveness.answers).toBe(true);
    void liveness.check();
    await fail();
    expect(liveness.answers).toBe(false);
    void liveness.check();
    await answer();
    expect([liveness.answers, probes()]).toEqual([true, 3]);
  });

  it('asks the store once at a time however often it is asked', async () => {
    const { liveness, answer, probes, inFlight } = harness();
    const checks = [liveness.check(), liveness.check(), liveness.check()];
    expect([probes(), inFlight()]).toEqual([1, 1]);
    await answer();
    await Promise.all(checks);
    expect(liveness.answers).toBe(true);
  });

  it('stops answering at once when a request met the store unreachable, and a probe begun before that cannot undo it', async () => {
    const { liveness, answer, probes } = harness();
    void liveness.check();
    await answer();
    expect(liveness.answers).toBe(true);

    void liveness.check(); // a background probe, under way
    liveness.storeFailed();
    expect(liveness.answers).toBe(false);
    await answer(); // it began before the failure: it proves nothing
    expect(liveness.answers).toBe(false);
    expect(probes()).toBe(2);

    // With nothing under way, a failure asks the store straight away; its success clears it.
    liveness.storeFailed();
    expect(probes()).toBe(3);
    await answer();
    expect(liveness.answers).toBe(true);
  });

  it('does not keep an old answer alive: past an interval and two timeouts without a successful probe, it does not answer', async () => {
    const { liveness, answer, advance } = harness();
    void liveness.check();
    await answer();
    advance(4_999);
    expect(liveness.answers).toBe(true);
    advance(2);
    expect(liveness.answers).toBe(false);
  });

  it('counts a probe that takes longer than its timeout as no answer', async () => {
    jest.useFakeTimers();
    try {
      const { liveness, answer } = harness();
      void liveness.check();
      await answer();
      const slow = liveness.check();
      jest.advanceTimersByTime(2_000);
      await slow;
      expect(liveness.answers).toBe(false);
    } finally {
      jest.useRealTimers();
    }
  });

  it('probes in the background once started, and no more once stopped', async () => {
    jest.useFakeTimers();
    try {
      const { liveness, answer, probes } = harness();
      const started = liveness.start();
      await answer();
      await started;
      jest.advanceTimersByTime(1_000);
      expect(probes()).toBe(2);
      await answer();
      jest.advanceTimersByTime(1_000);
      expect(probes()).toBe(3);
      const stopped = liveness.stop();
      await answer();
      await stopped;
      jest.advanceTimersByTime(5_000);
      expect(probes()).toBe(3);
    } finally {
      jest.useRealTimers();
    }
  });
});
