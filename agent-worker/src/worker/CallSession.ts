import { EventEmitter } from 'node:events';
import {
  formatZodError,
  type ReceiveStream,
  type SessionAccept,
  type SessionCallEvent,
  SessionCallEventSchema,
  type SessionDispatch,
  type SessionMedia,
} from '@voiceroom/protocol';
import type { Logger } from 'pino';
import { type Clock, systemClock } from '../audio/clock.ts';
import { CallAudioRecorder } from '../recording/CallAudioRecorder.ts';
import { LiveKitTransport, type LiveKitTransportStats } from '../transport/livekit/LiveKitTransport.ts';
import { MediaSession, type MediaSessionStats } from '../transport/MediaSession.ts';
import type { AgentVoiceSource, MediaTransport } from '../transport/MediaTransport.ts';
import type { CallPipeline, CallPipelineFactory } from './CallPipeline.ts';

interface Recording {
  recorder: CallAudioRecorder;
  upload(file: Uint8Array): Promise<void>;
}

export type SessionEndReason = 'agent_hangup' | 'failed' | 'stopped';

export type SessionMediaStats =
  | ({ kind: 'rtp' } & MediaSessionStats)
  | ({ kind: 'livekit' } & LiveKitTransportStats);

export interface CallSessionEvents {
  event: [event: SessionCallEvent];
  ended: [reason: SessionEndReason, message: string | undefined];
}

export interface CallSessionOptions {
  dispatch: SessionDispatch;
  /** Local IP for the media socket (AGENT_RTP_IP); the server sends RTP there. */
  rtpIp: string;
  /** See MediaSessionOptions.announcedIp / ingestHost. */
  rtpAnnouncedIp?: string;
  ingestHost?: string;
  createPipeline: CallPipelineFactory;
  logger: Logger;
  clock?: Clock;
  leadMs?: number;
  /** When the dispatch arrived (`clock` time; default now): the setup since then counts toward the recording lead-in. */
  dispatchedAtMs?: number;
  /** Where a finished recording goes (agents with `recording.enabled`); without it nothing is recorded. */
  uploadRecording?(roomId: string, file: Uint8Array): Promise<void>;
}

/**
 * One call on the worker: the voice pipeline wired to a media transport: RTP to the server's mediasoup, or a LiveKit
 * room when the dispatch carries `livekit`. Anything that throws inside (pipeline, media) ends this session with
 * reason 'failed' and never propagates to the worker or other sessions.
 */
export class CallSession extends EventEmitter<CallSessionEvents> {
  readonly id: string;
  readonly roomId: string;
  readonly #pipeline: CallPipeline;
  readonly #media: MediaTransport;
  /** The same object as #media for an RTP session (driven by the server's session.media / stream messages). */
  readonly #rtp: MediaSession | null;
  readonly #liveKit: LiveKitTransport | null;
  readonly #log: Logger;
  readonly #recording: Recording | undefined;
  #ended = false;
  #started = false;

  static async create(options: CallSessionOptions): Promise<CallSession> {
    const { dispatch } = options;
    const logger = options.logger.child({ sessionId: dispatch.sessionId, roomId: dispatch.roomId });
    // The recording starts when the caller joined: the server says how long before dispatching that was, plus the
    // time this worker took since. Loading the pipeline happens after this, so it is recorded as it goes.
    const upload = options.uploadRecording;
    const clock = options.clock ?? systemClock;
    const leadInMs =
      dispatch.callerJoinedMsAgo === undefined
        ? 0
        : dispatch.callerJoinedMsAgo + clock.now() - (options.dispatchedAtMs ?? clock.now());
    const recording =
      dispatch.config.recording.enabled && upload
        ? {
            recorder: new CallAudioRecorder({ clock, leadInMs }),
            upload: (file: Uint8Array) => upload(dispatch.roomId, file),
          }
        : undefined;
    // The pipeline exists before the session does; events it emits before that (none expected) are dropped.
    let session: CallSession | null = null;
    const pipeline = await options.createPipeline({
      roomId: dispatch.roomId,
      config: dispatch.config,
      ...(dispatch.resume ? { resume: dispatch.resume } : {}),
      emit: (event) => {
        if (session) session.#onPipelineEvent(event);
      },
      cancelOutput: () => {
        if (session) session.#media.cancelOutput();
      },
      logger,
    });
    const voice: AgentVoiceSource = {
      sampleRate: pipeline.outputSampleRate,
      pull: () => {
        const frame = pipeline.pullAudio();
        if (frame) recording?.recorder.addAgent(frame, pipeline.outputSampleRate);
        return frame;
      },
    };
    let media: MediaSession | LiveKitTransport;
    try {
      media = dispatch.livekit
        ? await LiveKitTransport.connect({
            ...dispatch.livekit,
            voice,
            clock: options.clock,
            leadMs: options.leadMs,
          })
        : await MediaSession.open({
            bindIp: options.rtpIp,
            announcedIp: options.rtpAnnouncedIp,
            ingestHost: options.ingestHost,
            clock: options.clock,
            leadMs: options.leadMs,
            voice,
          });
    } catch (error) {
      pipeline.close();
      throw error;
    }
    session = new CallSession(dispatch, pipeline, media, logger, recording);
    return session;
  }

  private constructor(
    dispatch: SessionDispatch,
    pipeline: CallPipeline,
    media: MediaSession | LiveKitTransport,
    logger: Logger,
    recording: Recording | undefined,
  ) {
    super();
    this.id = dispatch.sessionId;
    this.roomId = dispatch.roomId;
    this.#pipeline = pipeline;
    this.#media = media;
    this.#rtp = media instanceof MediaSession ? media : null;
    this.#liveKit = media instanceof LiveKitTransport ? media : null;
    this.#log = logger;
    this.#recording = recording;
    media.on('ready', () => {
      // An RTP session that moved to a new room is ready again: the conversation goes on, no second greeting.
      if (this.#started) return;
      this.#started = true;
      this.#guard('start', () => this.#pipeline.start());
    });
    media.on('audio', (pcm, atMs, stream) => {
      if (stream.audience !== 'staff') recording?.recorder.addVoice(pcm);
      if (stream.audience === 'staff') {
        const pushWhisper = this.#pipeline.pushWhisperAudio;
        if (pushWhisper) this.#guard('pushWhisperAudio', () => pushWhisper.call(this.#pipeline, pcm));
        return;
      }
      // A human agent speaking to the customer (barge, takeover) is not the caller: it is recorded, never answered.
      if (stream.role === 'human_agent' || stream.role === 'supervisor') {
        const pushHuman = this.#pipeline.pushHumanAudio;
        if (pushHuman) this.#guard('pushHumanAudio', () => pushHuman.call(this.#pipeline, pcm));
        return;
      }
      if (stream.role !== 'customer') return;
      this.#guard('pushCallerAudio', () => this.#pipeline.pushCallerAudio(pcm, atMs));
    });
    media.on('error', (error) => this.#fail('media', error));
  }

  /** The dispatch's answer: the UDP socket the server's transport must send to, or that the room was joined. */
  get accept(): SessionAccept {
    return this.#rtp ? { rtp: this.#rtp.localAddress } : { transport: 'livekit' };
  }

  get ended(): boolean {
    return this.#ended;
  }

  get mediaStats(): SessionMediaStats {
    if (this.#rtp) return { kind: 'rtp', ...this.#rtp.stats };
    return { kind: 'livekit', ...(this.#liveKit as LiveKitTransport).stats };
  }

  /**
   * RTP sessions: the server joined the agent to the room; media starts and the pipeline greets (on 'ready'). Again
   * later: the call moved to a new room (its mediasoup worker died), so the media follows and the pipeline carries on.
   */
  startMedia(media: SessionMedia): void {
    if (this.#ended) return;
    if (this.#started)
      this.#log.info({ ingest: media.ingest }, 'media moved to a new room; the conversation goes on');
    this.#rtp?.start({ ingest: media.ingest, send: media.send, receive: media.receive });
  }

  addStream(stream: ReceiveStream): void {
    this.#rtp?.addStream(stream);
  }

  removeStream(ssrc: number): void {
    this.#rtp?.removeStream(ssrc);
  }

  hint(text: string): void {
    this.#guard('addHint', () => this.#pipeline.addHint(text));
  }

  /** Nobody took the handoff: the agent says so, offers a callback and carries on. */
  handoffUnanswered(): void {
    this.#guard('handoffUnanswered', () => this.#pipeline.handoffUnanswered?.());
  }

  takeover(active: boolean): void {
    this.#guard('setMuted', () => this.#pipeline.setMuted(active));
  }

  /** Ends the session; idempotent. */
  stop(reason: SessionEndReason = 'stopped', message?: string): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#media.close();
    this.#saveRecording();
    try {
      this.#pipeline.close();
    } catch (error) {
      this.#log.warn({ err: error }, 'pipeline close threw');
    }
    this.#log.info({ reason, ...this.#media.summary() }, 'session ended');
    this.emit('ended', reason, message);
    this.removeAllListeners();
  }

  #saveRecording(): void {
    const recording = this.#recording;
    if (!recording) return;
    try {
      const file = recording.recorder.finish();
      recording.upload(file).then(
        () => this.#log.info({ bytes: file.length }, 'call recording uploaded'),
        (error: unknown) =>
          this.#log.error({ err: error }, 'call recording upload failed; the recording is lost'),
      );
    } catch (error) {
      this.#log.error({ err: error }, 'finishing the call recording failed');
    }
  }

  #onPipelineEvent(raw: SessionCallEvent): void {
    if (this.#ended) return;
    // Checked here too, so a pipeline bug shows up in this worker's log rather than as a drop on the server.
    const parsed = SessionCallEventSchema.safeParse(raw);
    if (!parsed.success) {
      const { message } = formatZodError(parsed.error, { what: 'invalid pipeline event' });
      this.#log.warn({ type: raw?.type, issue: message }, 'dropping an invalid pipeline event');
      return;
    }
    const event = parsed.data;
    this.emit('event', event);
    if (event.type === 'end_call') this.stop('agent_hangup');
  }

  #guard(what: string, action: () => void): void {
    if (this.#ended) return;
    try {
      action();
    } catch (error) {
      this.#fail(what, error);
    }
  }

  #fail(where: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.#log.error({ err: error, where }, 'session failed; closing it');
    this.stop('failed', `${where}: ${message}`);
  }
}
