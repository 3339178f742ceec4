/** Opus RTP parameters as a browser's send transport offers them, for clients that produce without a browser. */
export function opusRtpParameters(ssrc: number) {
  return {
    mid: '0',
    codecs: [
      {
        mimeType: 'audio/opus',
        payloadType: 111,
        clockRate: 48_000,
        channels: 2,
        parameters: { minptime: 10, useinbandfec: 1 },
        rtcpFeedback: [{ type: 'transport-cc' }],
      },
    ],
    headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 4 }],
    encodings: [{ ssrc, dtx: false }],
    rtcp: { cname: `cname-${ssrc}`, reducedSize: true },
  };
}
