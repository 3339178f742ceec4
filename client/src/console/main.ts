import { attachAudio, connect, type Room } from '@voiceroom/sdk';
import { CaptionLog } from '../CaptionLog.ts';
import { ConsoleView } from './ConsoleView.ts';
import { ConsoleApi, type LiveCall } from './consoleApi.ts';
import { describeStageFailure } from './stageFailure.ts';

/**
 * Human agent console: sign in, see live calls, listen to one silently, read its live transcript and the AI's state,
 * coach the AI (hint, whisper), speak to the customer, take the call over and hand it back. Co-pilot actions go
 * through the SDK's room.copilot; the server enforces grants and audits them. `window.voiceRoomConsole.room`
 * exposes the joined Room for diagnostics and browser tests.
 */
const POLL_MS = 3_000;
const api = new ConsoleApi();
const view = new ConsoleView();
const debugHandle: { room: Room | null } = { room: null };
(window as unknown as { voiceRoomConsole: typeof debugHandle }).voiceRoomConsole = debugHandle;

interface JoinedCall {
  call: LiveCall;
  room: Room;
  captions: CaptionLog;
  detachers: Map<MediaStreamTrack, () => void>;
  publishing: 'none' | 'speaking' | 'whispering';
}

let joined: JoinedCall | null = null;
let lastCalls: LiveCall[] = [];
let pollTimer: ReturnType<typeof setInterval> | undefined;

view.loginForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const { email, password } = view.credentials();
  run(async () => {
    const user = await api.login(email, password);
    signedIn(user.displayName);
  });
});
view.logoutButton.addEventListener('click', () =>
  run(async () => {
    await leaveCall();
    await api.logout();
    signedOut();
  }),
);
view.takeoverButton.addEventListener('click', () =>
  withCall(async ({ room }) => {
    if (room.copilot.takeover?.peerId === room.localPeer.peerId) await room.copilot.handBack();
    else await room.copilot.takeOver();
  }),
);
view.speakButton.addEventListener('click', () => withCall((call) => togglePublishing(call, 'speaking')));
view.whisperButton.addEventListener('click', () => withCall((call) => togglePublishing(call, 'whispering')));
view.leaveButton.addEventListener('click', () => run(leaveCall));
view.hintForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = view.takeHint();
  if (text)
    withCall(({ room }) =>
      room.copilot.hint(text).then(() => view.status.set('Hint sent to the AI.', 'in-call')),
    );
});

if (api.user) signedIn(api.user.displayName);
else signedOut();

function signedIn(name: string): void {
  view.setSignedIn(true);
  view.status.set(`Signed in as ${name}.`, 'signed-in');
  void refreshCalls();
  clearInterval(pollTimer);
  pollTimer = setInterval(() => void refreshCalls(), POLL_MS);
}

function signedOut(): void {
  clearInterval(pollTimer);
  view.setSignedIn(false);
  view.status.set('Sign in to see live calls.', 'signed-out');
}

async function refreshCalls(): Promise<void> {
  try {
    lastCalls = await api.liveCalls();
    renderCalls();
  } catch (error) {
    showError(error);
    if (!api.user) signedOut();
  }
}

function renderCalls(): void {
  view.renderCalls(lastCalls, joined?.call.roomId ?? null, (call) => run(() => joinCall(call)));
}

async function joinCall(call: LiveCall): Promise<void> {
  const ticket = await api.roomTicket(call.roomId, false);
  const room = await connect(location.origin, ticket.token, { iceServers: ticket.iceServers });
  joined = { call, room, captions: new CaptionLog(), detachers: new Map(), publishing: 'none' };
  debugHandle.room = room;
  view.showCall(call);
  wireRoom(joined);
  for (const segment of await api.transcript(call.id).catch(() => [])) {
    const line = joined.captions.apply({ roomId: call.roomId, final: true, ...segment });
    if (line) view.panel.renderCaption(line);
  }
  view.status.set(`Listening to ${call.displayName}. The customer cannot hear you.`, 'in-call');
  renderCalls();
}

function wireRoom(current: JoinedCall): void {
  const { room, captions, detachers } = current;
  const refreshParticipants = (): void =>
    view.panel.renderParticipants(room.localPeer.peerId, room.participants.values());
  const play = (track: MediaStreamTrack): void => {
    if (!detachers.has(track)) detachers.set(track, attachAudio(track, view.audioSinks));
  };
  room.on('participantJoined', refreshParticipants);
  room.on('participantLeft', refreshParticipants);
  room.on('trackSubscribed', ({ track }) => play(track));
  room.on('trackUnsubscribed', ({ track }) => {
    detachers.get(track)?.();
    detachers.delete(track);
  });
  room.on('transcript', (event) => {
    const line = captions.apply(event);
    if (line) view.panel.renderCaption(line);
  });
  room.on('agentState', ({ state }) => view.panel.setAgentState(state));
  room.on('activeSpeaker', ({ peerId }) => view.panel.setActiveSpeaker(peerId));
  room.on('copilotState', () => renderCoPilot());
  room.on('microphoneClosed', () => {
    current.publishing = 'none';
    renderCoPilot();
  });
  room.on('error', showError);
  room.on('stageFailed', (failure) =>
    view.status.showError({ code: 'stage_failed', message: describeStageFailure(failure) }),
  );
  room.on('connectionStateChanged', (state) => {
    if (state === 'reconnecting') view.status.set('Connection lost, reconnecting…', 'reconnecting');
    if (state === 'disconnected') endCall('The call has ended.');
  });
  for (const remote of room.remoteTracks.values()) play(remote.track);
  refreshParticipants();
  renderCoPilot();
}

async function togglePublishing(current: JoinedCall, mode: 'speaking' | 'whispering'): Promise<void> {
  if (current.publishing !== 'none') {
    await current.room.unpublishMicrophone();
    current.publishing = 'none';
  } else {
    await current.room.publishMicrophone(undefined, {
      audience: mode === 'whispering' ? 'staff' : 'everyone',
    });
    current.publishing = mode;
  }
  renderCoPilot();
}

function renderCoPilot(): void {
  if (!joined) return;
  const { room, publishing } = joined;
  const { grants, peerId } = room.localPeer;
  const takeover = room.copilot.takeover;
  const holdingTakeover = takeover?.peerId === peerId;
  view.setCoPilot({
    inCall: true,
    holdingTakeover,
    takeoverBy: takeover && !holdingTakeover ? takeover.displayName : null,
    canTakeOver: grants.canTakeOver,
    canWhisper: grants.canWhisper,
    canSpeak: grants.canPublish || holdingTakeover,
    speaking: publishing === 'speaking',
    whispering: publishing === 'whispering',
  });
}

async function leaveCall(): Promise<void> {
  const leaving = joined;
  if (!leaving) return;
  await leaving.room.leave();
  endCall('You left the call.');
}

function endCall(message: string): void {
  if (!joined) return;
  for (const detach of joined.detachers.values()) detach();
  joined = null;
  debugHandle.room = null;
  view.showCall(null);
  view.status.set(message, 'signed-in');
  renderCalls();
}

function withCall(action: (call: JoinedCall) => Promise<unknown>): void {
  const current = joined;
  if (current) run(() => action(current).then(() => undefined));
}

function run(action: () => Promise<void>): void {
  view.status.showError(null);
  action().catch(showError);
}

function showError(error: unknown): void {
  const code = (error as { code?: string } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  view.status.showError({ code, message });
}
