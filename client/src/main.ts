import { type AgentState, attachAudio, connect, type Participant, type Room } from '@voiceroom/sdk';
import { CallClock } from './CallClock.ts';
import { CallView } from './CallView.ts';
import { CaptionLog } from './CaptionLog.ts';
import { startCall } from './callApi.ts';
import { callerMessage } from './callerMessages.ts';
import { MicLevel } from './MicLevel.ts';

/**
 * Customer call page. `Call` asks the server for a room and token and joins; `?token=…` joins with a given token
 * instead (`?agent=` picks an agent). Signaling and the API are always this page's own origin, so a crafted link
 * cannot send the caller's microphone elsewhere. `window.voiceRoomCall.room` exposes the joined Room for diagnostics
 * and browser tests.
 */
const params = new URLSearchParams(location.search);
const serverUrl = location.origin;
const givenToken = params.get('token');
const STAFF_ROLES = new Set(['human_agent', 'supervisor']);
const view = new CallView();
const captions = new CaptionLog();
const clock = new CallClock((seconds) => view.setElapsed(seconds));
const detachers = new Map<MediaStreamTrack, () => void>();
const debugHandle: { room: Room | null } = { room: null };
(window as unknown as { voiceRoomCall: typeof debugHandle }).voiceRoomCall = debugHandle;

let room: Room | null = null;
let micLevel: MicLevel | null = null;
/** The AI agent's peer and what we last heard of it, for the avatar cue. */
const agent: { peerId: string | null; state: AgentState | null; speaking: boolean } = {
  peerId: null,
  state: null,
  speaking: false,
};

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
      ? { token: givenToken, iceServers: [], media: undefined }
      : await startCall(serverUrl, params.get('agent') ?? undefined);
    const joined = await connect(serverUrl, ticket.token, {
      iceServers: ticket.iceServers,
      media: ticket.media,
    });
    room = joined;
    debugHandle.room = joined;
    captions.clear();
    view.panel.clearCaptions();
    wireRoom(joined);
    view.setInCall(true);
    clock.start();
    if (joined.localPeer.grants.canPublish) {
      await joined.publishMicrophone();
      const track = joined.microphone;
      if (track) micLevel = new MicLevel(track, (level) => view.setMicLevel(level));
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
  const refreshParticipants = (): void => {
    view.panel.renderParticipants(joined.localPeer.peerId, joined.participants.values());
    const ai = [...joined.participants.values()].find((p) => p.role === 'agent_ai');
    agent.peerId = ai?.peerId ?? null;
    view.setAgentName(ai?.displayName ?? null);
  };
  refreshParticipants();
  // The team is listed to callers only while speaking to them, so their voice is what is announced (below).
  joined.on('participantJoined', refreshParticipants);
  joined.on('participantLeft', refreshParticipants);
  const play = (track: MediaStreamTrack): void => {
    if (!detachers.has(track)) detachers.set(track, attachAudio(track, view.audioSinks));
  };
  // A person of the team whose voice reaches us: they joined the conversation or took the call over.
  const onTheLine = new Set<string>();
  joined.on('trackSubscribed', ({ participant, track }) => {
    play(track);
    if (!isTeamMember(participant) || onTheLine.has(participant.peerId)) return;
    onTheLine.add(participant.peerId);
    view.panel.renderNote(`${teamName(participant)} is now on the line with you.`);
  });
  // Tracks of people already in the room may have arrived before these listeners.
  for (const remote of joined.remoteTracks.values()) play(remote.track);
  joined.on('trackUnsubscribed', ({ participant, track }) => {
    detachers.get(track)?.();
    detachers.delete(track);
    if (onTheLine.delete(participant.peerId))
      view.panel.renderNote(`${teamName(participant)} has left the line. The assistant is with you again.`);
  });
  joined.on('transcript', (event) => {
    const line = captions.apply(event);
    if (line) view.panel.renderCaption(line);
  });
  joined.on('agentState', ({ state }) => {
    agent.state = state;
    view.panel.setAgentState(state);
    renderAgentCue();
  });
  joined.on('activeSpeaker', ({ peerId, isLocal }) => {
    view.setYouSpeaking(isLocal);
    agent.speaking = peerId !== null && peerId === agent.peerId;
    view.panel.setActiveSpeaker(peerId);
    renderAgentCue();
  });
  joined.on('muteChanged', ({ muted }) => view.setMuted(muted));
  joined.on('error', showError);
  joined.on('connectionStateChanged', (state) => {
    if (state === 'reconnecting')
      view.status.set('Connection lost. Reconnecting… stay on this page.', 'reconnecting');
    else if (state === 'connected') view.status.set('Reconnected. You are back in the call.', 'connected');
    else endCall('The connection could not be restored. The call has ended: press Call to call again.');
  });
  joined.on('roomClosed', ({ reason, rejoin }) => {
    if (!rejoin) endCall(endedMessage(reason));
  });
}

function endedMessage(reason: string): string {
  if (reason === 'room_ended') return 'The call has ended.';
  if (reason === 'server_restart')
    return 'The service restarted and this call was cut off. Press Call to call again.';
  return `Call ended (${reason}).`;
}

function isStaff(participant: Participant): boolean {
  return participant.role !== undefined && STAFF_ROLES.has(participant.role);
}

/** A person of the team: staff, or a peer the server does not list to callers (a supervisor). */
function isTeamMember(participant: Participant): boolean {
  return participant.role === undefined || isStaff(participant);
}

function teamName(participant: Participant): string {
  return participant.displayName ? `${participant.displayName} from our team` : 'A person from our team';
}

function renderAgentCue(): void {
  view.setAgentCue(agent.state, agent.speaking);
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
  micLevel?.stop();
  micLevel = null;
  clock.stop();
  view.stopTimer();
  view.setMicLevel(0);
  view.setYouSpeaking(false);
  view.setInCall(false);
  Object.assign(agent, { peerId: null, state: null, speaking: false });
  renderAgentCue();
  view.panel.setAgentState(null);
  view.panel.setActiveSpeaker(null);
  view.setMuted(false);
  view.status.set(message, 'ended');
}

function showError(error: unknown): void {
  view.status.showError(callerMessage(error));
}
