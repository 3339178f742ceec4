import { asksYesOrNo, expectationFromAgent } from '@voiceroom/agent-core/nlu';
import type { SttExpectation } from '@voiceroom/agent-core/stages';

/**
 * What the recogniser should listen for after the agent said `agentText` (as far as the caller heard it), judged
 * from its last question: works for any dialog, scripted or a model.
 */
export function listeningFor(agentText: string): SttExpectation {
  const expectation = expectationFromAgent(agentText);
  if (asksYesOrNo(expectation)) return 'yesno';
  return expectation === 'none' ? 'open' : expectation;
}
