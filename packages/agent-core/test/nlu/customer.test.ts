import { describe, expect, it } from 'vitest';
import { findAddress, findEmail, findName, findPhone, tokenize } from '../../src/nlu/index.ts';

const words = (s: string) => tokenize(s).map((t) => t.norm);

describe('findAddress', () => {
  it.each([
    ["It's 42 Baker Street.", '42 Baker Street'],
    ['one twenty three maple avenue apartment four b', '123 Maple Avenue, Apt 4B'],
    ['my address is 7 elm st apt 12', '7 Elm Street, Apt 12'],
    ['two oh five park road', '205 Park Road'],
    ['310 Sunset Boulevard, unit 5', '310 Sunset Boulevard, Apt 5'],
    ['seventy seven harbor view road apartment two a', '77 Harbor View Road, Apt 2A'],
    ["so it's two forty one bay street but it's the back entrance apartment six", '241 Bay Street, Apt 6'],
    ['deliver it to 1200 Highland Avenue please', '1200 Highland Avenue'],
    ['five hundred and five river road', '505 River Road'],
    ["it's three hundred ten sunset boulevard", '310 Sunset Boulevard'],
    ['the address is twenty nine o three broadway boulevard', '2903 Broadway Boulevard'],
    ['nineteen o five elm street', '1905 Elm Street'],
    ['one i thousand two hundred fifty maple way', '1250 Maple Way'],
    ['six hundred and uh twelve hill road', '612 Hill Road'],
    ['three thousand three hundred and an one union lane', '3301 Union Lane'],
  ])('reads %j as %s', (text, address) => {
    expect(findAddress(tokenize(text))?.value).toBe(address);
  });

  it('needs a house number unless the agent asked for the address', () => {
    expect(findAddress(tokenize('i live on baker street'))).toBeUndefined();
    expect(findAddress(tokenize('baker street'), true)?.value).toBe('Baker Street');
  });

  it('finds nothing in a sentence without a street', () => {
    expect(findAddress(tokenize('two large pepperoni pizzas please'))).toBeUndefined();
  });
});

describe('findPhone', () => {
  it.each([
    ['five five five nine eight seven six five four three', '555-987-6543'],
    ['my number is 555-867-5309', '555-867-5309'],
    ['five five five, double two, three, four eight nine oh', '555-223-4890'],
    ["It's 1-555-640-2200.", '1-555-640-2200'],
    ['five five five to sarah want three three four four', '555-201-3344'],
    ['five five five seven seven seven what do three four', '555-777-1234'],
    ['five five five six seven add nine zero want two', '555-678-9012'],
    ['call me at five five five one two three four', '555-1234'],
  ])('reads %j as %s', (text, phone) => {
    expect(findPhone(words(text))?.value).toBe(phone);
  });

  it('does not take quantities or house numbers for a phone number', () => {
    expect(findPhone(words('two large pizzas and three cokes'))).toBeUndefined();
    expect(findPhone(words('one twenty three maple street'))).toBeUndefined();
  });
});

describe('findEmail', () => {
  it('reads written and spoken addresses', () => {
    expect(
      findEmail('Email is sophie.martin@example.com.', words('Email is sophie.martin@example.com.')),
    ).toBe('sophie.martin@example.com');
    const spoken = 'its john dot doe at gmail dot com';
    expect(findEmail(spoken, words(spoken))).toBe('john.doe@gmail.com');
  });

  it('does not read "at" in a sentence as an email', () => {
    const text = 'we are at home at the moment';
    expect(findEmail(text, words(text))).toBeUndefined();
  });
});

describe('findAddress when the agent asked for the address', () => {
  it('takes a numbered street whose name the recogniser heard as another word ("order drive")', () => {
    const said = "it's one thousand eight hundred twenty two order drive";
    expect(findAddress(tokenize(said), true)?.value).toBe('1822 Order Drive');
    expect(findAddress(tokenize(said), false)).toBeUndefined();
    expect(findAddress(tokenize('two large pizzas for the drive'), true)).toBeUndefined();
  });
});

describe('a house number said with "hundred" or "thousand"', () => {
  it.each([
    ['forty six hundred twenty two orchard drive', '4622 Orchard Drive'],
    ['twelve hundred oak street', '1200 Oak Street'],
    ['four thousand and two harbor road', '4002 Harbor Road'],
    ['one i thousand two hundred fifty maple way', '1250 Maple Way'],
  ])('is one number: %j is %s', (text, address) => {
    expect(findAddress(tokenize(text), true)?.value).toBe(address);
  });

  it('is no house number with digits the recogniser made up around it, but still the address, not a quantity', () => {
    expect(
      findAddress(tokenize('four two thousand eight hundred twenty two orchard drive'), true)?.value,
    ).toBe('Orchard Drive');
    const correction = findAddress(tokenize('no i said four thousand one two poplar road'), false);
    expect(correction).toEqual({ value: 'Poplar Road', start: 3, end: 9 });
  });
});

describe('findName', () => {
  it.each([
    ['My name is John Smith.', false, 'John Smith'],
    ['my names oliver', false, 'Oliver'],
    ['the name is patel', false, 'Patel'],
    ['put it under garcia', false, 'Garcia'],
    ['Hi, this is Emily Watson, I would like to order', false, 'Emily Watson'],
    ['its maria lopez', true, 'Maria Lopez'],
    ['Sarah.', true, 'Sarah'],
    ['yes its daniel', true, 'Daniel'],
    ["This is Kevin O'Brien.", true, "Kevin O'Brien"],
    ["its kevin o'brien", true, "Kevin O'Brien"],
    ['uh that hundred garcia please', true, 'Garcia'],
    ["it's maria willow because", true, 'Maria Willow'],
    ["no my name is alex let's do an um", true, 'Alex'],
    ["my name is sam wouldn't you know", false, 'Sam'],
  ])('reads %j (asked: %s) as %s', (text, asked, name) => {
    expect(findName(tokenize(text), asked)?.value).toBe(name);
  });

  it('does not take ordinary words or menu words for a name', () => {
    expect(findName(tokenize("i'm looking for a pizza"), false)).toBeUndefined();
    expect(findName(tokenize('this is great'), false)).toBeUndefined();
    expect(findName(tokenize('its pepperoni'), true, new Set(['pepperoni']))).toBeUndefined();
    expect(findName(tokenize('a large pepperoni pizza'), false)).toBeUndefined();
  });

  it('stops the name where the address begins', () => {
    const tokens = tokenize('my name is peter johnson seventeen oak street');
    const address = findAddress(tokens);
    expect(address?.value).toBe('17 Oak Street');
    const masked = new Set<number>();
    for (let i = address?.start ?? 0; i < (address?.end ?? 0); i++) masked.add(i);
    expect(findName(tokens, false, new Set(), masked)?.value).toBe('Peter Johnson');
    expect(findName(tokenize('peter johnson seventeen'), true)?.value).toBe('Peter Johnson');
  });

  it.each([
    ['my name is katherine is macdonald', 'Katherine Macdonald'],
    ["it's sarah uh miller", 'Sarah Miller'],
    ['katherine um macdonald please', 'Katherine Macdonald'],
    ['my name is sarah uh', 'Sarah'],
  ])('reads the name over a filler between first and last name: %j', (text, name) => {
    expect(findName(tokenize(text), true)?.value).toBe(name);
  });

  it('takes a name spelled letter by letter when one was asked for', () => {
    expect(findName(tokenize('its s a r a h'), true)?.value).toBe('Sarah');
    expect(findName(tokenize('s a r a h'), false)).toBeUndefined();
  });

  it.each([
    ['a double l e n', 'Allen'],
    ["it's l a double r y", 'Larry'],
    ['double u i l l i a m', 'William'],
    ['s see o double t', 'Scott'],
    ['uh j o are d a n', 'Jordan'],
  ])('reads the spelled name %j as %s', (text, name) => {
    expect(findName(tokenize(text), true)?.value).toBe(name);
  });

  it.each([
    ['w i l l i a m ... r o g e r s', 'William Rogers'],
    ['W I L L I A M, R O G E R S', 'William Rogers'],
    ['its m a r y. c a s t r o', 'Mary Castro'],
    ['S. A. R. A. H.', 'Sarah'],
    ['s, a, r, a, h', 'Sarah'],
  ])(
    'keeps first and last name apart where a pause splits the spelling, not letters all read with pauses: %j',
    (text, name) => {
      expect(findName(tokenize(text), true)?.value).toBe(name);
    },
  );

  it.each([
    ['m a u r e n t o w a r d', 'Lauren Howard'],
    ['c h r i s t i a m s i m a p s o n', 'Christian Simpson'],
    ['m a r i ... c a s t r o', 'Mary Castro'],
  ])('reads the misheard spelling %j as the common name its letters are nearest to: %s', (text, name) => {
    expect(findName(tokenize(text), true)?.value).toBe(name);
  });

  it.each([
    ["it's c o double t", 'Scott'],
    ["it's t e v e n", 'Steven'],
  ])('reads %j as a spelling whose first "s" was heard as "it\'s": %s', (text, name) => {
    expect(findName(tokenize(text), true)?.value).toBe(name);
  });

  it('keeps the letters after "it\'s" when they spell a name without an "s" before them', () => {
    expect(findName(tokenize("it's a n n"), true)?.value).toBe('Ann');
    expect(findName(tokenize("it's s a r a h"), true)?.value).toBe('Sarah');
    expect(findName(tokenize("it's z w y k o w"), true)?.value).toBe('Zwykow');
  });

  it('does not take words that sound like letters for a spelled name without letters said as letters', () => {
    expect(findName(tokenize('oh you are'), true)?.value).not.toBe('Our');
    expect(findName(tokenize('why see'), true)).toBeUndefined();
  });

  it('needs the question before a bare word counts as a name', () => {
    expect(findName(tokenize('Sarah'), false)).toBeUndefined();
  });

  it('does not take "it\'s ..." for a name when the agent asked for something else (a misheard address)', () => {
    expect(
      findName(tokenize("it's jorge thousand eight hundred twenty two order drive"), false),
    ).toBeUndefined();
    expect(findName(tokenize("it's raj of hawaiian pizzas"), false)).toBeUndefined();
    expect(findName(tokenize("it's jorge"), true)?.value).toBe('Jorge');
  });
});

describe('an address whose street type the recogniser lost', () => {
  const tokens = (text: string) => tokenize(text);
  it('is the house number and the street name when the address was asked for', () => {
    expect(findAddress(tokens("it's three thousand two hundred forty nine market"), true)?.value).toBe(
      '3249 Market',
    );
  });
  it('is nothing when the address was not asked for, or there is no house number', () => {
    expect(findAddress(tokens("it's three thousand two hundred forty nine market"), false)).toBeUndefined();
    expect(findAddress(tokens('its the market'), true)).toBeUndefined();
    expect(
      findAddress(tokens('five one two five five five eight four three two market'), true),
    ).toBeUndefined();
  });
});
