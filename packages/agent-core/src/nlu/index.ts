export { findAddress, houseNumberOf } from './address.ts';
export { checkedPhrase, expectationFromAgent } from './agentQuestions.ts';
export {
  type AgentStated,
  CallTracker,
  type CustomerDetails,
  type ReadBack,
  type TrackerOptions,
} from './CallTracker.ts';
export { type CensusNames, censusNames } from './censusNames.ts';
export {
  findEmail,
  findName,
  findPhone,
  fitsNumberingPlan,
  formatPhone,
  isDialablePhoneNumber,
  isWholePhoneNumber,
  phoneDigits,
} from './customer.ts';
export { editDistance, matchWord, singular } from './fuzzy.ts';
export { Hypothesis } from './Hypothesis.ts';
export {
  answerQuality,
  answersExpectation,
  chooseHypothesis,
  HOUSE_NUMBER_SURE,
  houseNumberDoubted,
  houseNumberUnsure,
  mostHeardAddress,
  numberLost,
  type RescoredHypothesis,
  rescoreHypotheses,
  withoutRejectedAddress,
} from './hypotheses.ts';
export {
  asksForMenu,
  asksForPrice,
  isAffirmative,
  isDoneOrdering,
  isGoodbye,
  isNegative,
  isQuestion,
  type SmallTalk,
  smallTalk,
  wantsHuman,
  type YesNoQuestion,
  yesNoAnswer,
} from './intents.ts';
export { matchKnowledge } from './knowledge.ts';
export { commonestSpelling, isCommonFirstName, isCommonName } from './knownNames.ts';
export { lacksLastName } from './lastName.ts';
export { type ItemMention, MenuMatcher, type SizeMention } from './menuMatcher.ts';
export type { Detail } from './namedDetail.ts';
export {
  isNumberPart,
  numberToWords,
  parseCardinal,
  parseDigitRun,
  parseQuantity,
  priceToWords,
} from './numbers.ts';
export { type LineTarget, Order, type OrderLine, type OrderOp, sameLines } from './order.ts';
export { parseOrder } from './orderParser.ts';
export { continuePhone } from './phoneGroups.ts';
export { READ_BACK_ADDRESS, READ_BACK_NAME, READ_BACK_PHONE } from './readBackPhrases.ts';
export { negativeSentiment } from './sentiment.ts';
export { describeLine, describeLines } from './speech.ts';
export { COMMON_STREET_NAMES } from './streetNames.ts';
export { normWords, spokenWords, type Token, tokenize } from './text.ts';
export { asksYesOrNo, type Expectation, Nlu, type NluOptions, type Understanding } from './understand.ts';
