import { describe, expect, it } from 'vitest';
import { ChatHistory, heardPrefix } from '../../src/pipeline/ChatHistory.ts';

describe('ChatHistory', () => {
  it('keeps only the newest messages beyond maxMessages', () => {
    const history = new ChatHistory({ maxMessages: 3 });
    for (const text of ['a', 'b', 'c', 'd']) history.addUser(text);
    expect(history.messages.map((m) => m.content)).toEqual(['b', 'c', 'd']);
  });

  it('keeps the end of an over-long message and skips empty ones', () => {
    const history = new ChatHistory({ maxMessageChars: 5 });
    history.addAssistant('   ');
    history.addUser('one two three');
    expect(history.messages).toEqual([{ role: 'user', content: 'three' }]);
  });
});

describe('heardPrefix', () => {
  it('rounds down to whole words in proportion to the samples played', () => {
    expect(heardPrefix('one two three four', 0, 400)).toBe('');
    expect(heardPrefix('one two three four', 199, 400)).toBe('one');
    expect(heardPrefix('one two three four', 200, 400)).toBe('one two');
    expect(heardPrefix('one two three four', 400, 400)).toBe('one two three four');
  });
});
