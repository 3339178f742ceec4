import type { types as ms } from 'mediasoup';

/**
 * Follows who is speaking in a room from the audio level each client puts in its RTP (ssrc-audio-level header
 * extension, no decoding): calls `onChange` with the loudest producer's peer id, or null after silence.
 */
export class ActiveSpeaker {
  readonly #observer: ms.AudioLevelObserver;
  #current: string | null = null;

  static async create(router: ms.Router, onChange: (peerId: string | null) => void): Promise<ActiveSpeaker> {
    // Levels are dBov (-127..0); -60 keeps background hiss out, 500 ms keeps the indicator calm.
    const observer = await router.createAudioLevelObserver({ maxEntries: 1, threshold: -60, interval: 500 });
    return new ActiveSpeaker(observer, onChange);
  }

  private constructor(observer: ms.AudioLevelObserver, onChange: (peerId: string | null) => void) {
    this.#observer = observer;
    const set = (peerId: string | null) => {
      if (peerId === this.#current) return;
      this.#current = peerId;
      onChange(peerId);
    };
    observer.on('volumes', (volumes) => {
      const peerId = volumes[0]?.producer.appData.peerId;
      set(typeof peerId === 'string' ? peerId : null);
    });
    observer.on('silence', () => set(null));
  }

  /** Watches a producer (it is dropped automatically when it closes). */
  async add(producer: ms.Producer): Promise<void> {
    if (this.#observer.closed || producer.closed) return;
    try {
      await this.#observer.addProducer({ producerId: producer.id });
    } catch (error) {
      // Closed meanwhile (producer or room): nothing to watch.
      if (!producer.closed && !this.#observer.closed) throw error;
    }
  }
}
