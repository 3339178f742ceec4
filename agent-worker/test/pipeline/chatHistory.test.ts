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

  it('owes the question a turn was cut off in until a later turn is heard', () => {
    const history = new ChatHistory();
    history.addAssistant('Got it, two', 'What is the delivery address?');
    expect(history.messages.at(-1)).toEqual({ role: 'assistant', content: 'Got it, two' });
    history.addAssistant(''); // a turn cut before a sound, that had asked nothing yet
    expect(history.unheardAsk).toBe('What is the delivery address?');
    history.addAssistant('', 'And a phone number?'); // one cut before a sound that had
    expect(history.unheardAsk).toBe('And a phone number?');
    history.addAssistant('Thanks. And a phone number?');
    expect(history.unheardAsk).toBeUndefined();
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
