import type { StageFailedEvent } from '@voiceroom/sdk';

const STAGES: Record<StageFailedEvent['stage'], string> = {
  vad: 'speech detection',
  stt: 'speech recognition',
  dialog: 'dialog',
  tts: 'speech synthesis',
};

/** One line for the console: which of the AI's stages failed, and how the call carried on. */
export function describeStageFailure(failure: StageFailedEvent): string {
  const what = `The AI's ${STAGES[failure.stage]} (${failure.provider}) failed`;
  switch (failure.recovery) {
    case 'fallback':
      return `${what}; ${failure.fallbackProvider ?? 'the offline provider'} took over.`;
    case 'apology':
      return failure.stage === 'dialog'
        ? `${what}; it apologised to the caller.`
        : `${what}; it apologised to the caller and asks for a human: take the call over.`;
    case 'handoff':
      return `${what}; it can no longer speak: take the call over.`;
    case 'none':
      return `${what}; that reply was cut short.`;
  }
}
