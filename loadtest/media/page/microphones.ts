/**
 * Scripted microphones for many callers in one page: every getUserMedia call gets its own WebAudio track (silence
 * between utterances, as a real microphone sends), and a caller plays speech into the track it was given.
 */
let ctx: AudioContext | undefined;
const byTrack = new Map<string, MediaStreamAudioDestinationNode>();
const speech: AudioBuffer[] = [];

function context(): AudioContext {
  if (!ctx) ctx = new AudioContext({ sampleRate: 48_000 });
  return ctx;
}

/** Replaces getUserMedia: each call makes a fresh destination fed by a never-ending zero source. */
export function installMicrophones(): void {
  navigator.mediaDevices.getUserMedia = async () => {
    const audio = context();
    await audio.resume();
    const dest = audio.createMediaStreamDestination();
    const floor = audio.createConstantSource();
    floor.offset.value = 0;
    floor.connect(dest);
    floor.start();
    const track = dest.stream.getAudioTracks()[0] as MediaStreamTrack;
    byTrack.set(track.id, dest);
    track.addEventListener('ended', () => byTrack.delete(track.id));
    return new MediaStream([track]);
  };
}

/** Loads the utterances (48 kHz mono s16le, base64) every caller picks from. */
export function loadSpeech(base64s: string[]): void {
  const audio = context();
  for (const b64 of base64s) {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const pcm = new Int16Array(bytes.buffer);
    const buffer = audio.createBuffer(1, pcm.length, 48_000);
    const channel = buffer.getChannelData(0);
    for (let i = 0; i < pcm.length; i++) channel[i] = (pcm[i] as number) / 32_768;
    speech.push(buffer);
  }
}

export const utteranceCount = (): number => speech.length;

/** Plays utterance `index` into the microphone track `track`; resolves when played, with its page-clock span. */
export async function say(track: MediaStreamTrack, index: number): Promise<{ startT: number; endT: number }> {
  const audio = context();
  const dest = byTrack.get(track.id);
  const buffer = speech[index % speech.length];
  if (!dest || !buffer) throw new Error('no scripted microphone for this track or no speech loaded');
  const source = audio.createBufferSource();
  source.buffer = buffer;
  source.connect(dest);
  const leadS = 0.05;
  const startT = performance.now() + leadS * 1000;
  const ended = new Promise((resolve) => {
    source.onended = resolve;
  });
  source.start(audio.currentTime + leadS);
  await ended;
  source.disconnect();
  return { startT, endT: startT + buffer.duration * 1000 };
}
