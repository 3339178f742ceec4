import { VoiceRoomError } from '@voiceroom/sdk';
import { describe, expect, it } from 'vitest';
import { formatDuration } from '../src/CallClock.ts';
import { callerMessage } from '../src/callerMessages.ts';

describe('callerMessage', () => {
  it('tells a caller whose microphone is blocked how to allow it', () => {
    const sdk = callerMessage(
      new VoiceRoomError('microphone_unavailable', 'getUserMedia failed: NotAllowedError'),
    );
    const browser = callerMessage(new DOMException('Permission denied', 'NotAllowedError'));
    for (const message of [sdk, browser]) {
      expect(message.code).toBe('microphone_unavailable');
      expect(message.message).toMatch(/microphone is blocked.*Allow microphone access/);
    }
  });

  it('says a lost connection in plain words and keeps the code', () => {
    expect(callerMessage(new VoiceRoomError('disconnected', 'the server closed the connection'))).toEqual({
      code: 'disconnected',
      message: 'The connection to the call was lost. Press Call to call again.',
    });
  });

  it('passes an unknown error through with its own message', () => {
    expect(callerMessage(new VoiceRoomError('room_full', 'the room is full; try later'))).toEqual({
      code: 'room_full',
      message: 'the room is full; try later',
    });
  });
});

describe('formatDuration', () => {
  it('shows minutes and seconds, and hours only when the call is that long', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(75.9)).toBe('1:15');
    expect(formatDuration(3725)).toBe('1:02:05');
  });
});
