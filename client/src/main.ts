import { attachAudio, connect, type Room, VoiceRoomError } from '@voiceroom/sdk';
import { CallView } from './CallView.ts';
import { CaptionLog } from './CaptionLog.ts';
import { startCall } from './callApi.ts';

/**
 * Customer call page. `Call` asks the server for a room and token and joins; `?token=…` joins with a given token
 * instead (`?agent=` picks an agent). Signaling and the API are always this page's own origin, so a crafted link
 * cannot send the caller's microphone elsewhere. `window.voiceRoomCall.room` exposes the joined Room for diagnostics
 * and browser tests.
 */
const params = new URLSearchParams(location.search);
const serverUrl = location.origin;
const givenToken = params.get('token');
const view = new CallView();
const captions = new CaptionLog();
const detachers = new Map<MediaStreamTrack, () => void>();
const debugHandle: { room: Room | null } = { room: null };
(window as unknown as { voiceRoomCall: typeof debugHandle }).voiceRoomCall = debugHandle;

let room: Room | null = null;

view.setInCall(false);
view.setCallLabel(givenToken ? 'Join call' : 'Call');
view.callButton.addEventListener('click', () => void placeCall());
view.leaveButton.addEventListener('click', () => void hangUp());
view.muteButton.addEventListener('click', () => {
  if (!room) return;
  room.setMuted(!room.muted).catch(showError);
});

async function placeCall(): Promise<void> {
  view.status.showError(null);
  view.setInCall(false, true);
  view.status.set('Connecting…', 'connecting');
  try {
    const ticket = givenToken
      ? { token: givenToken, iceServers: [] }
      : await startCall(serverUrl, params.get('agent') ?? undefined);
    const joined = await connect(serverUrl, ticket.token, { iceServers: ticket.iceServers });
    room = joined;
    debugHandle.room = joined;
    wireRoom(joined);
    view.setInCall(true);
    view.panel.renderParticipants(joined.localPeer.peerId, joined.participants.values());
    if (joined.localPeer.grants.canPublish) {
      await joined.publishMicrophone();
      view.setCanSpeak(true);
      view.status.set('In call. Speak when you are ready.', 'connected');
    } else {
      view.setCanSpeak(false);
      view.status.set('In call, listening only.', 'connected');
    }
  } catch (error) {
    showError(error);
    if (room) return;
    view.setInCall(false);
    view.status.set('Not connected.', 'idle');
  }
}

function wireRoom(joined: Room): void {
  const refreshParticipants = (): void =>
    view.panel.renderParticipants(joined.localPeer.peerId, joined.participants.values());
  joined.on('participantJoined', refreshParticipants);
  joined.on('participantLeft', refreshParticipants);
  const play = (track: MediaStreamTrack): void => {
    if (!detachers.has(track)) detachers.set(track, attachAudio(track, view.audioSinks));
  };
  joined.on('trackSubscribed', ({ track }) => play(track));
  // Tracks of people already in the room may have arrived before these listeners.
  for (const remote of joined.remoteTracks.values()) play(remote.track);
  joined.on('trackUnsubscribed', ({ track }) => {
    detachers.get(track)?.();
    detachers.delete(track);
  });
  joined.on('transcript', (event) => {
    const line = captions.apply(event);
    if (line) view.panel.renderCaption(line);
  });
  joined.on('agentState', ({ state }) => view.panel.setAgentState(state));
  joined.on('activeSpeaker', ({ peerId }) => view.panel.setActiveSpeaker(peerId));
  joined.on('muteChanged', ({ muted }) => view.setMuted(muted));
  joined.on('error', showError);
  joined.on('connectionStateChanged', (state) => {
    if (state === 'reconnecting') view.status.set('Connection lost, reconnecting…', 'reconnecting');
    else if (state === 'connected') view.status.set('In call.', 'connected');
    else endCall('Call ended.');
  });
  joined.on('roomClosed', ({ reason, rejoin }) => {
    if (!rejoin) endCall(reason === 'room_ended' ? 'The call has ended.' : `Call ended (${reason}).`);
  });
}

async function hangUp(): Promise<void> {
  const leaving = room;
  if (!leaving) return;
  await leaving.leave();
  endCall('You hung up.');
}

function endCall(message: string): void {
  room = null;
  for (const detach of detachers.values()) detach();
  detachers.clear();
  view.setInCall(false);
  view.panel.setAgentState(null);
  view.panel.setActiveSpeaker(null);
  view.setMuted(false);
  view.status.set(message, 'ended');
}

function showError(error: unknown): void {
  const code = error instanceof VoiceRoomError ? error.code : (error as { code?: string })?.code;
  const message = error instanceof Error ? error.message : String(error);
  view.status.showError({ code, message: friendlyMessage(code, message) });
}

function friendlyMessage(code: string | undefined, message: string): string {
  if (code === 'forbidden') return `Your link does not allow speaking in this call (${message}).`;
  if (code === 'unauthorized') return 'This call link has expired. Start a new call.';
  if (code === 'MICROPHONE_UNAVAILABLE') return 'We cannot hear you: allow microphone access and try again.';
  return message;
}
