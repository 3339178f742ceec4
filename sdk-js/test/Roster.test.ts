import { describe, expect, it } from 'vitest';
import { Roster } from '../src/Roster.ts';

/** Minimal stand-in for a MediaStreamTrack (Node has none); the roster only passes it through. */
const track = (id: string) => ({ id, kind: 'audio' }) as unknown as MediaStreamTrack;

function setup() {
  const log: string[] = [];
  const closed: string[] = [];
  const roster = new Roster(
    (event, payload) => {
      const p = payload as {
        peerId?: string;
        participant?: { peerId: string };
        muted?: boolean;
        reason?: string;
      };
      const who = p.peerId ?? p.participant?.peerId;
      log.push([event, who, p.muted ?? p.reason].filter((x) => x !== undefined).join(':'));
    },
    (consumerId) => closed.push(consumerId),
  );
  return { roster, log, closed };
}

describe('Roster', () => {
  it('announces a participant once even when added twice', () => {
    const { roster, log } = setup();
    const first = roster.add({ peerId: 'a', displayName: 'Ann', role: 'customer' });
    const again = roster.add({ peerId: 'a', displayName: 'Other', role: 'customer' });
    expect(again).toBe(first);
    expect(log).toEqual(['participantJoined:a']);
  });

  it('drops a leaving participant’s tracks (closing their consumers) before announcing the departure', () => {
    const { roster, log, closed } = setup();
    const ann = roster.add({ peerId: 'a', displayName: 'Ann', role: 'customer' });
    roster.addTrack({ consumerId: 'c1', participant: ann, track: track('t1'), muted: false });
    roster.remove('a', 'left');
    expect(log).toEqual([
      'participantJoined:a',
      'trackSubscribed:a',
      'trackUnsubscribed:a',
      'participantLeft:a:left',
    ]);
    expect(closed).toEqual(['c1']);
    expect(roster.tracks.size).toBe(0);
    expect(roster.participants.size).toBe(0);
  });

  it('forgets a peer the server never listed once its last track is gone, and keeps listed ones', () => {
    const { roster, log } = setup();
    const listed = roster.add({ peerId: 'h', displayName: 'Hugo', role: 'human_agent' });
    const unlisted = roster.addHeardOnly('s');
    expect(roster.addHeardOnly('s')).toBe(unlisted);
    expect(unlisted).toEqual({ peerId: 's', displayName: '', role: undefined });
    roster.addTrack({ consumerId: 'c1', participant: unlisted, track: track('t1'), muted: false });
    roster.addTrack({ consumerId: 'c2', participant: unlisted, track: track('t2'), muted: false });
    roster.addTrack({ consumerId: 'c3', participant: listed, track: track('t3'), muted: false });
    log.length = 0;
    roster.removeTrack('c1');
    expect([...roster.participants.keys()]).toEqual(['h', 's']);
    roster.removeTrack('c2');
    roster.removeTrack('c3');
    expect(log).toEqual([
      'trackUnsubscribed:s',
      'trackUnsubscribed:s',
      'participantLeft:s:stopped_speaking',
      'trackUnsubscribed:h',
    ]);
    expect([...roster.participants.keys()]).toEqual(['h']);
  });

  it('reconciles with the server list: removes the gone, adds the new, keeps the rest quietly', () => {
    const { roster, log } = setup();
    roster.add({ peerId: 'a', displayName: 'Ann', role: 'customer' });
    roster.add({ peerId: 'b', displayName: 'Bob', role: 'human_agent' });
    log.length = 0;
    roster.reconcile([
      { peerId: 'b', displayName: 'Bob', role: 'human_agent' },
      { peerId: 'c', displayName: 'AI', role: 'agent_ai' },
    ]);
    expect(log).toEqual(['participantLeft:a:left', 'participantJoined:c']);
    expect([...roster.participants.keys()]).toEqual(['b', 'c']);
  });

  it('announces a mute change only when the state really changes', () => {
    const { roster, log } = setup();
    const ann = roster.add({ peerId: 'a', displayName: 'Ann', role: 'customer' });
    roster.addTrack({ consumerId: 'c1', participant: ann, track: track('t1'), muted: false });
    roster.setTrackMuted('c1', false);
    roster.setTrackMuted('c1', true);
    roster.setTrackMuted('c1', true);
    roster.setTrackMuted('unknown', true);
    expect(log.filter((l) => l.startsWith('trackMuted'))).toEqual(['trackMuted:a:true']);
    expect(roster.tracks.get('c1')?.muted).toBe(true);
  });

  it('removes every track at once but keeps the participants', () => {
    const { roster, closed } = setup();
    const ann = roster.add({ peerId: 'a', displayName: 'Ann', role: 'customer' });
    roster.addTrack({ consumerId: 'c1', participant: ann, track: track('t1'), muted: false });
    roster.addTrack({ consumerId: 'c2', participant: ann, track: track('t2'), muted: false });
    roster.removeAllTracks();
    expect(closed).toEqual(['c1', 'c2']);
    expect(roster.tracks.size).toBe(0);
    expect(roster.participants.size).toBe(1);
  });
});
