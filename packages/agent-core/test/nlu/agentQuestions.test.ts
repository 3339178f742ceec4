import { describe, expect, it } from 'vitest';
import { checkedPhrase, expectationFromAgent } from '../../src/nlu/index.ts';

describe('checkedPhrase', () => {
  it.each([
    ['Did you say six caesar salads?', 'six caesar salads'],
    ['Sorry about that. Did you mean remove the coke? We have pepsi too.', 'remove the coke'],
    ['did you say two cokes', 'two cokes'],
  ])('reads what %j checks as %j', (text, phrase) => {
    expect(checkedPhrase(text)).toBe(phrase);
  });

  it('finds no check in a question that asks for something new', () => {
    expect(checkedPhrase('What did you want to drink?')).toBeUndefined();
    expect(checkedPhrase('Two cokes, got it. Anything else?')).toBeUndefined();
  });
});

describe('expectationFromAgent', () => {
  it.each([
    ['Can I get a name for the order?', 'name'],
    ["Thanks, Maria. What's the delivery address?", 'address'],
    ["What's the house number on Oak Street?", 'address'],
    ['And a phone number in case the driver needs to reach you?', 'phone'],
    ['What size would you like for the margherita pizza: small, medium or large?', 'size'],
    ['Your total is twelve dollars. Shall I place the order?', 'confirm'],
    ['Two cokes, got it. Anything else?', 'order'],
    ['Got it. Did you say Margaret?', 'check'],
    ['did you mean the large one', 'check'],
    ['Would you like me to get a person to help you?', 'yesno'],
  ])('reads %j as asking for %s', (text, expected) => {
    expect(expectationFromAgent(text)).toBe(expected);
  });
});
