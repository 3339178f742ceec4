import type { types as ms } from 'mediasoup';

export interface MediaObjectCounts {
  routers: number;
  transports: number;
  producers: number;
  consumers: number;
}

/**
 * Counts the live mediasoup objects of the workers it watches, from mediasoup's own observer events: a leak check
 * that does not depend on the rooms' bookkeeping (objects of a closed room still count until mediasoup closes them).
 */
export class MediaObjectCounter {
  readonly #counts: MediaObjectCounts = { routers: 0, transports: 0, producers: 0, consumers: 0 };

  get counts(): MediaObjectCounts {
    return { ...this.#counts };
  }

  watch(worker: ms.Worker): void {
    worker.observer.on('newrouter', (router) => {
      this.#track('routers', router.observer);
      router.observer.on('newtransport', (transport) => {
        this.#track('transports', transport.observer);
        transport.observer.on('newproducer', (producer) => this.#track('producers', producer.observer));
        transport.observer.on('newconsumer', (consumer) => this.#track('consumers', consumer.observer));
      });
    });
  }

  #track(
    kind: keyof MediaObjectCounts,
    observer: { once(event: 'close', listener: () => void): unknown },
  ): void {
    this.#counts[kind]++;
    observer.once('close', () => {
      this.#counts[kind]--;
    });
  }
}
