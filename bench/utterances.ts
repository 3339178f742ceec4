/**
 * Caller lines of the voice benchmark, written for it and held out of the agent's language-model corpus
 * (test/bench/utterances.test.ts fails if one appears there verbatim): a recogniser scored on sentences it was
 * built from would look better than it is on a caller.
 */

/** Ordinary turns: an order or a question the agent answers briefly. */
export const ORDINARY_LINES = [
  'hello there I would like two big pepperoni pizzas for tonight',
  'does your shop bring food to my house',
  'could I please order a medium hawaiian for my son',
  'when do you close this evening',
  'one small vegetable pizza for me thanks',
  'how many minutes until it gets here',
  'we want a large margherita with extra cheese',
  'is there anything without gluten',
  'put some wings on there as well',
  'what would a large pepperoni cost me',
];

/** Questions whose answer (the menu) is long enough to barge in over. */
export const LONG_ANSWER_LINES = [
  'could you read me your menu please',
  'so what kinds of food do you make',
  'tell me what pizzas I can choose from',
  'remind me what do you have again',
  'what sides and drinks can I get',
];

/** Said over the agent's long answer: a barge-in with words in it. */
export const BARGE_IN_LINES = [
  'sorry to cut in I want a coke too',
  'hang on add one garlic bread',
  'okay stop there two lemonades please',
  'wait wait one caesar salad',
  'let me stop you a large veggie',
  'excuse me three cokes as well',
  'no need just give me chicken wings',
  'alright I know what I want a small margherita',
  'sorry just one medium pepperoni',
  'stop please I will take garlic bread',
  'hold it right there a lemonade',
  'that is enough thanks two small hawaiians',
  'okay okay a large cheese pizza',
  'wait I already know I want wings',
  'pardon me add a salad to that',
  'fine just a coke then',
  'sorry one more thing a medium veggie',
  'hold on my son wants a lemonade',
  'right I will have the garlic bread',
  'wait actually make it four cokes',
];

/** bench:asr's in-domain caller turns (12 replaced in issue 12: they were corpus sentences). */
export const ASR_LINES = [
  "hi I'd like to order a large pepperoni pizza",
  'can I get two medium margherita pizzas and a coke',
  "I'd love three of the small veggie pizzas",
  'could I have one large hawaiian pizza and garlic bread',
  'give me four chicken wings and two lemonades',
  'throw in a caesar salad with that',
  'actually make that a medium',
  'scrap the garlic bread from my order',
  'my name is sarah johnson',
  "it's michael brown",
  'my address is one twenty three main street',
  'deliver to forty five oak avenue apartment three',
  'I live at seven hundred twelve maple drive',
  'yep you got it all right',
  "no that's all thank you",
  'until what time are you guys open',
  'can you bring it out to my place',
  'roughly when will the food arrive',
  'is there a gluten free base I could get',
  "what's the price on a big pepperoni",
  'could you put a manager on the line',
  'two large pizzas one pepperoni and one hawaiian',
  'that works for me',
  'yeah go ahead with it',
];
