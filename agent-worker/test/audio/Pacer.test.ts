import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/audio/clock.ts';
import { type PacedFrameInfo, Pacer } from '../../src/audio/Pacer.ts';

function setup(frames: number, options: { leadMs?: number } = {}) {
  const clock = new ManualClock(1_000);
  let remaining = frames;
  const sent: { at: number; info: PacedFrameInfo }[] = [];
  const pacer = new Pacer({
    clock,
    leadMs: options.leadMs ?? 40,
    pull: () => (remaining-- > 0 ? new Int16Array(960) : null),
    send: (_frame, info) => sent.push({ at: clock.now(), info }),
  });
  return {
    clock,
    pacer,
    sent,
    give: (n: number) => {
      remaining = n;
    },
  };
}

describe('Pacer', () => {
  it('sends the lead at once, then one frame every 20 ms, each 20 ms of media time apart', () => {
    const { clock, pacer, sent } = setup(8);
    pacer.start();
    clock.advance(200);
    expect(sent.map((s) => s.at - 1_000)).toEqual([0, 0, 0, 20, 40, 60, 80, 100]);
    expect(sent.map((s) => s.info.mediaTimeMs - 1_000)).toEqual([0, 20, 40, 60, 80, 100, 120, 140]);
    expect(sent.map((s) => s.info.startOfSpurt)).toEqual([
      true,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('does not drift when every timer fires late', () => {
    const { clock, pacer, sent } = setup(50);
    pacer.start();
    clock.advance(1_000, 7);
    const times = sent.map((s) => s.at - 1_000);
    // Every send is 7 ms late, yet the 50th frame still leaves ~ (50 - 3) * 20 ms after the first.
    expect(times.at(-1)).toBe((50 - 3) * 20 + 7);
    for (let i = 4; i < times.length; i++) expect((times[i] as number) - (times[i - 1] as number)).toBe(20);
  });

  it('re-anchors after a blocked event loop instead of bursting the missed frames', () => {
    const { clock, pacer, sent } = setup(100);
    pacer.start();
    clock.advance(100);
    const before = sent.length;
    clock.advance(800, 700);
    expect(sent.length - before).toBeLessThanOrEqual(3);
    expect(pacer.stats.reanchors).toBe(1);
    // Skipped slots stay on the frame grid: media times remain whole frames apart.
    expect(sent.every((s) => (s.info.mediaTimeMs - 1_000) % 20 === 0)).toBe(true);
  });

  it('catches up a short stall without skipping any frame slot', () => {
    const { clock, pacer, sent } = setup(100);
    pacer.start();
    clock.advance(100);
    clock.advance(200, 100);
    expect(pacer.stats.reanchors).toBe(0);
    expect(sent.map((s) => s.info.mediaTimeMs - 1_000)).toEqual(sent.map((_, i) => i * 20));
  });

  it('stops on the next frame when the source runs dry, and marks the next spurt', () => {
    const { clock, pacer, sent, give } = setup(5);
    pacer.start();
    clock.advance(200);
    expect(sent.length).toBe(5);
    expect(pacer.talking).toBe(false);
    give(2);
    clock.advance(20);
    expect(sent.slice(5).map((s) => s.info.startOfSpurt)).toEqual([true, false]);
    expect(pacer.stats.spurts).toBe(2);
  });

  it('sends nothing and arms no timer after stop', () => {
    const { clock, pacer, sent } = setup(100);
    pacer.start();
    clock.advance(100);
    pacer.stop();
    const count = sent.length;
    clock.advance(1_000);
    expect(sent.length).toBe(count);
    expect(clock.pendingTimers).toBe(0);
  });

  it('stopped by its source while pulling (the goodbye hangs up on its last frame), sends and pulls nothing more', () => {
    const clock = new ManualClock(1_000);
    let pulls = 0;
    const sent: number[] = [];
    const pacer: Pacer = new Pacer({
      clock,
      pull: () => {
        pulls++;
        if (pulls === 5) pacer.stop();
        return new Int16Array(960);
      },
      send: () => sent.push(pulls),
    });
    pacer.start();
    clock.advance(1_000);
    expect(sent).toEqual([1, 2, 3, 4]);
    expect(pulls).toBe(5);
    expect(pacer.stats.framesSent).toBe(4);
    expect(pacer.talking).toBe(false);
    expect(clock.pendingTimers).toBe(0);
  });

  it('stopped by its own send, sends nothing more and is no longer talking', () => {
    const clock = new ManualClock(1_000);
    let sends = 0;
    const pacer: Pacer = new Pacer({
      clock,
      pull: () => new Int16Array(960),
      send: () => {
        if (++sends === 2) pacer.stop();
      },
    });
    pacer.start();
    clock.advance(1_000);
    expect(sends).toBe(2);
    expect(pacer.stats.framesSent).toBe(2);
    expect(pacer.talking).toBe(false);
    expect(clock.pendingTimers).toBe(0);
  });
});
