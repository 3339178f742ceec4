/**
 * What bench:peer changes from LiveKit Agents' defaults, and why (written into peer.json). Everything else — the
 * AgentSession's turn handling, endpointing delays, interruption rules, false-interruption resume, the silero VAD's
 * options — is the framework's default, as a user would run it.
 */
export const PEER_SETTINGS = {
  serverOptions: {
    loadThreshold: Number.POSITIVE_INFINITY,
    initializeProcessTimeout: 120_000,
  },
  why: {
    loadThreshold:
      "Infinity instead of 0.7 in production: the bench machine's 2 cores are shared and busy, so the worker would report itself full and never take the job",
    initializeProcessTimeout:
      '120 s instead of 10 s: prewarm builds the PocketSphinx domain language model and loads flite and silero, which takes longer than 10 s on the loaded machine',
    stt: 'our PocketSphinx (same domain language model as our worker) as a non-streaming STT, segmented by the framework with silero (its StreamAdapter); our worker streams it and also switches to a slot model for what the dialog asked (names, addresses), which the adapter does not do',
    llm: 'our ScriptedDialog as the LLM (no model): both agents say the same things',
    tts: 'our flite kal16 voice as a non-streaming TTS, split into sentences by the framework',
    greeting: "session.say(the agent's greeting) once connected, as our agent greets",
  },
  vadTurnDetection:
    "turnDetection 'vad' instead of the default end-of-turn model (turn-detector-v1-mini, run locally; endpointing 300-2500 ms): our agent ends a turn on VAD silence plus a fixed 300 ms, so this run separates the model's wait from the rest of the pipeline",
} as const;
