import { describe, expect, it } from 'vitest';
import { StepTimeoutError, step, withCleanup } from './deadline.ts';

const never = () => new Promise<never>(() => undefined);
const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe('step', () => {
  it('answers with what the step settles with, in time', async () => {
    await expect(step('a quick read', 1_000, () => after(5, 'value'))).resolves.toBe('value');
    await expect(step('a failing read', 1_000, () => Promise.reject(new Error('refused')))).rejects.toThrow(
      'refused',
    );
  });

  it('fails a step that never settles with its name and deadline', async () => {
    const late = step('the agent page to load', 30, never);
    await expect(late).rejects.toBeInstanceOf(StepTimeoutError);
    await expect(late).rejects.toThrow(/^the agent page to load did not finish within 30 ms/);
  });

  it('turns a step that throws at once into a rejection', async () => {
    const throwing = () => {
      throw new Error('thrown before any await');
    };
    await expect(step('a throwing step', 1_000, throwing)).rejects.toThrow('thrown before any await');
  });
});

describe('withCleanup', () => {
  it('runs every cleanup step in order after a passing body, and returns its value', async () => {
    const ran: string[] = [];
    const value = await withCleanup(
      async () => 'done',
      [
        { what: 'first', ms: 100, run: async () => ran.push('first') },
        { what: 'second', ms: 100, run: async () => ran.push('second') },
      ],
    );
    expect(value).toBe('done');
    expect(ran).toEqual(['first', 'second']);
  });

  it("keeps the body's error when a cleanup step then hangs, and still runs the steps after it", async () => {
    const ran: string[] = [];
    const outcome = withCleanup(async () => {
      throw new Error('timed out waiting for the caller to rejoin');
    }, [
      { what: 'closing the page', ms: 20, run: never },
      { what: 'closing the server', ms: 100, run: async () => ran.push('server') },
    ]);
    await expect(outcome).rejects.toThrow('timed out waiting for the caller to rejoin');
    expect(ran).toEqual(['server']);
  });

  it('fails a passing body whose cleanup hangs, naming the step', async () => {
    const outcome = withCleanup(async () => 'done', [{ what: 'closing the server', ms: 20, run: never }]);
    await expect(outcome).rejects.toThrow(/cleanup failed: .*closing the server did not finish within 20 ms/);
  });
});

describe('a step around other steps', () => {
  it('names the inner steps still running when it times out', async () => {
    const body = step('the test body', 60, async () => {
      await step('the caller page to load', 1_000, () => after(5, 'loaded'));
      await step('reading the agent page', 1_000, never);
    });
    await expect(body).rejects.toThrow(
      /^the test body did not finish within 60 ms \(waited \d+ ms\); still running inside it: reading the agent page \(\d+ ms\)$/,
    );
  });
});
