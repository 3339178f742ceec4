import { afterEach, describe, expect, it, vi } from 'vitest';
import { WaitingCalls } from '../../src/agents/WaitingCalls.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('WaitingCalls', () => {
  it('retries once per retry period however many calls wait, and not after close', () => {
    vi.useFakeTimers();
    const onRetry = vi.fn();
    const waiting = new WaitingCalls({ retryMs: 5_000, onRetry });
    waiting.wait('room-a', 'peer-a');
    waiting.wait('room-b', 'peer-b');
    vi.advanceTimersByTime(4_999);
    expect(onRetry).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onRetry).toHaveBeenCalledTimes(1);

    waiting.wait('room-c', 'peer-c');
    waiting.close();
    vi.advanceTimersByTime(10_000);
    expect(onRetry).toHaveBeenCalledTimes(1);
    expect(waiting.size).toBe(0);
  });

  it('hands a waiting call to the room’s other customer when the waiting one leaves, else forgets it', () => {
    const waiting = new WaitingCalls({ retryMs: 60_000, onRetry: () => {} });
    waiting.wait('room-a', 'peer-a');
    waiting.wait('room-b', 'peer-b');
    waiting.customerLeft('room-a', 'someone-else', undefined);
    waiting.customerLeft('room-a', 'peer-a', 'peer-a2');
    waiting.customerLeft('room-b', 'peer-b', undefined);
    expect(waiting.has('room-b')).toBe(false);
    expect(waiting.takeAll()).toEqual([['room-a', 'peer-a2']]);
    expect(waiting.size).toBe(0);
    waiting.close();
  });
});
