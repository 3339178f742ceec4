import type { types as ms } from 'mediasoup';

/** Where mediasoup listens for RTP and what address it tells clients (from ServerConfig.mediasoup). */
export interface MediaNetworkOptions {
  listenIp: string;
  /** Public address put in ICE candidates / plain tuples when listenIp is not reachable by clients (NAT, 0.0.0.0). */
  announcedAddress?: string;
  rtcMinPort: number;
  rtcMaxPort: number;
}

/** The only codec rooms carry: Opus 48 kHz stereo (browsers send mono in it). */
export const ROOM_MEDIA_CODECS: ms.RouterRtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48_000, channels: 2, parameters: { useinbandfec: 1 } },
];

export function listenInfo(network: MediaNetworkOptions, protocol: 'udp' | 'tcp'): ms.TransportListenInfo {
  return {
    protocol,
    ip: network.listenIp,
    ...(network.announcedAddress ? { announcedAddress: network.announcedAddress } : {}),
    portRange: { min: network.rtcMinPort, max: network.rtcMaxPort },
  };
}
