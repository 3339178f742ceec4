import { describe, expect, it } from 'vitest';
import { TypedEmitter } from '../src/TypedEmitter.ts';

type Events = { said: string; counted: number };

class Speaker extends TypedEmitter<Events> {
  say(text: string): boolean {
    return this.emit('said', text);
  }
  count(n: number): boolean {
    return this.emit('counted', n);
  }
}

describe('TypedEmitter', () => {
  it('delivers payloads to every listener of that event only', () => {
    const speaker = new Speaker();
    const said: string[] = [];
    const counted: number[] = [];
    speaker.on('said', (text) => said.push(`a:${text}`));
    speaker.on('said', (text) => said.push(`b:${text}`));
    speaker.on('counted', (n) => counted.push(n));
    speaker.say('hello');
    expect(said).toEqual(['a:hello', 'b:hello']);
    expect(counted).toEqual([]);
  });

  it('reports whether anybody listened', () => {
    const speaker = new Speaker();
    expect(speaker.say('nobody')).toBe(false);
    speaker.on('said', () => undefined);
    expect(speaker.say('somebody')).toBe(true);
  });

  it('stops delivering after off and after a once listener fired', () => {
    const speaker = new Speaker();
    const seen: string[] = [];
    const listener = (text: string): void => {
      seen.push(text);
    };
    speaker.on('said', listener);
    speaker.once('said', (text) => seen.push(`once:${text}`));
    speaker.say('1');
    speaker.off('said', listener);
    speaker.say('2');
    expect(seen).toEqual(['1', 'once:1']);
    expect(speaker.listenerCount('said')).toBe(0);
  });

  it('keeps delivering to other listeners when one throws, and reports the error', () => {
    const speaker = new Speaker();
    const errors: unknown[] = [];
    speaker.setListenerErrorHandler((error, event) => errors.push([event, (error as Error).message]));
    const seen: number[] = [];
    speaker.on('counted', () => {
      throw new Error('boom');
    });
    speaker.on('counted', (n) => seen.push(n));
    speaker.count(7);
    expect(seen).toEqual([7]);
    expect(errors).toEqual([['counted', 'boom']]);
  });

  it('lets a listener remove itself during emit without skipping the next listener', () => {
    const speaker = new Speaker();
    const seen: string[] = [];
    const first = (): void => {
      speaker.off('said', first);
      seen.push('first');
    };
    speaker.on('said', first);
    speaker.on('said', () => seen.push('second'));
    speaker.say('x');
    expect(seen).toEqual(['first', 'second']);
  });

  it('waitFor resolves with the next payload and rejects after its timeout', async () => {
    const speaker = new Speaker();
    const next = speaker.waitFor('counted', 1_000);
    speaker.count(3);
    await expect(next).resolves.toBe(3);
    await expect(speaker.waitFor('counted', 20)).rejects.toThrow(
      /timed out after 20 ms waiting for "counted"/,
    );
    expect(speaker.listenerCount('counted')).toBe(0);
  });
});
