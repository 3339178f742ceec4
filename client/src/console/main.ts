import { attachAudio, connect, type Room } from '@voiceroom/sdk';
import { CaptionLog } from '../CaptionLog.ts';
import type { CoPilotMode } from './CallListView.ts';
import { ConsoleApi, type LiveCall, type StaffRoomTicket } from './ConsoleApi.ts';
import type { Availability, ConsoleDataSource, HandoffRequest, LiveCallRow } from './ConsoleDataSource.ts';
import { ConsoleView } from './ConsoleView.ts';
import { allowedModes, currentMode, type Publishing, switchMode } from './coPilotMode.ts';
import { HistoryController } from './HistoryController.ts';
import { SocketDataSource } from './SocketDataSource.ts';
import { describeStageFailure } from './stageFailure.ts';

/**
 * Human agent console: sign in, see live calls, handoff requests and callbacks to make, join a call in listen, whisper, barge or
 * takeover mode and switch while in it, read its live transcript and the AI's state, coach the AI with hints; browse
 * call history and review extractions. Live data comes from a ConsoleDataSource (the /console socket feed). Co-pilot
 * actions go through the SDK's room.copilot; the server enforces grants and audits them.
 * `window.voiceRoomConsole.room` exposes the joined Room for diagnostics and browser tests.
 */
const api = new ConsoleApi();
const source: ConsoleDataSource = new SocketDataSource(api);
const view = new ConsoleView();
const history = new HistoryController(api, { list: view.history, detail: view.detail }, run);
const debugHandle: { room: Room | null } = { room: null };
(window as unknown as { voiceRoomConsole: typeof debugHandle }).voiceRoomConsole = debugHandle;

interface JoinedCall {
  call: LiveCall;
  room: Room;
  captions: CaptionLog;
  detachers: Map<MediaStreamTrack, () => void>;
  publishing: Publishing;
  busy: boolean;
}

let joined: JoinedCall | null = null;
let lastCalls: LiveCallRow[] = [];

source.on('calls', (calls) => {
  lastCalls = calls;
  renderCalls();
});
source.on('handoffs', (requests) => {
  view.handoffs.render(requests, (request) => run(() => acceptHandoff(request)));
});
source.on('availability', (availability) => view.setAvailability(availability));
source.on('callbacks', (callbacks) =>
  view.callbacks.render(callbacks, (callback) => run(() => source.callbackDone(callback))),
);
source.on('error', ({ error, signedOut: lost }) => {
  showError(error);
  if (lost) signedOut();
});

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
view.availability.addEventListener('change', () =>
  run(() => source.setAvailability(view.availability.value as Availability)),
);
view.liveTab.addEventListener('click', () => view.showTab('live'));
view.historyTab.addEventListener('click', () => {
  view.showTab('history');
  history.search(1);
});
for (const [mode, button] of Object.entries(view.modeButtons) as [CoPilotMode, HTMLButtonElement][])
  button.addEventListener('click', () => withCall((call) => changeMode(call, mode)));
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
  view.setAvailability(source.availability);
  view.status.set(`Signed in as ${name}.`, 'signed-in');
  source.start();
}

function signedOut(): void {
  source.stop();
  history.reset();
  view.setSignedIn(false);
  view.status.set('Sign in to see live calls.', 'signed-out');
}

function renderCalls(): void {
  view.calls.render(lastCalls, joined?.call.roomId ?? null, (call, mode) => run(() => joinCall(call, mode)));
}

async function acceptHandoff(request: HandoffRequest): Promise<void> {
  const ticket = await source.acceptHandoff(request);
  await joinCall(
    {
      id: request.callId,
      roomId: request.roomId,
      agentId: null,
      displayName: request.customerName ?? 'the caller',
      startedAt: request.requestedAt,
    },
    'takeover',
    ticket,
  );
}

/** Joins with `ticket` when one was handed out (an accepted handoff), else asks for a staff room token. */
async function joinCall(
  call: LiveCall,
  mode: CoPilotMode,
  ticket?: Pick<StaffRoomTicket, 'token' | 'iceServers' | 'media'>,
): Promise<void> {
  if (joined) return;
  ticket ??= await api.roomTicket(call.roomId, false);
  const room = await connect(location.origin, ticket.token, {
    iceServers: ticket.iceServers,
    media: ticket.media,
  });
  const current: JoinedCall = {
    call,
    room,
    captions: new CaptionLog(),
    detachers: new Map(),
    publishing: null,
    busy: false,
  };
  joined = current;
  debugHandle.room = room;
  view.showCall(call.displayName);
  view.showTab('live');
  wireRoom(current);
  const stored = await api.call(call.id).catch(() => undefined);
  for (const segment of stored?.transcript ?? []) {
    const line = current.captions.apply({ roomId: call.roomId, final: true, ...segment });
    if (line) view.panel.renderCaption(line);
  }
  renderCalls();
  await changeMode(current, mode);
}

async function changeMode(current: JoinedCall, mode: CoPilotMode): Promise<void> {
  current.busy = true;
  renderCoPilot();
  try {
    current.publishing = await switchMode(current.room, current.publishing, mode);
  } finally {
    current.busy = false;
    renderCoPilot();
  }
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
    current.publishing = null;
    renderCoPilot();
  });
  room.on('error', showError);
  room.on('stageFailed', (failure) =>
    view.status.showError({ code: 'stage_failed', message: describeStageFailure(failure) }),
  );
  room.on('connectionStateChanged', (state) => {
    if (state === 'reconnecting') view.status.set('Connection lost, reconnecting…', 'reconnecting');
    if (state === 'connected') renderCoPilot();
    if (state === 'disconnected') endCall('The call has ended.');
  });
  for (const remote of room.remoteTracks.values()) play(remote.track);
  refreshParticipants();
  renderCoPilot();
}

function renderCoPilot(): void {
  if (!joined) return;
  const { room, publishing, busy, call } = joined;
  const mode = currentMode(room, publishing);
  const takeover = room.copilot.takeover;
  view.setCoPilot({
    mode,
    allowed: allowedModes(room),
    takeoverBy: takeover && mode !== 'takeover' ? takeover.displayName : null,
    canWhisper: room.localPeer.grants.canWhisper,
    busy,
  });
  if (!busy) view.status.set(`In the call with ${call.displayName}: ${modeStatus(mode)}`, 'in-call');
}

function modeStatus(mode: CoPilotMode): string {
  if (mode === 'listen') return 'listening, the customer cannot hear you.';
  if (mode === 'whisper') return 'whispering to the AI.';
  return mode === 'barge' ? 'speaking to everyone.' : 'you have taken over.';
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
