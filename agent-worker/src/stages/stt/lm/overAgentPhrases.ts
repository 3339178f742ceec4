/**
 * What callers say while the agent is talking: backchannels that let it go on, and requests to stop. The caller
 * says them whatever the agent asked, so every model knows them as whole utterances (slotCorpus.ts, domainCorpus.ts):
 * a model that does not hears "mm hmm" as digits or a menu item over a question for the phone number, and "stop"
 * as a name, and the agent either stops for a backchannel or talks on over a stop. Not "i see" or "got it": a model
 * that expects them whole hears the start of a sentence ("I'll have a caesar salad") as one.
 */
export const BACKCHANNEL_PHRASES: readonly string[] = [
  'mm hmm',
  'mhm',
  'uh huh',
  'hmm',
  'yeah',
  'yes',
  'yep',
  'okay',
  'ok',
  'right',
  'alright',
  'sure',
  'oh okay',
  'yeah yeah',
  'okay okay',
];

export const STOP_PHRASES: readonly string[] = [
  'wait',
  'stop',
  'no',
  'no no',
  'no wait',
  'wait wait',
  'hold on',
  'hang on',
  'wait a second',
  'stop please',
  'sorry',
  'excuse me',
];

export const OVER_AGENT_PHRASES: readonly string[] = [...BACKCHANNEL_PHRASES, ...STOP_PHRASES];
