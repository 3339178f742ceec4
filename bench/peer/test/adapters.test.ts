import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { initializeLogger, llm } from '@livekit/agents';
import { AudioFrame } from '@livekit/rtc-node';
import { ScriptedDialog } from '@voiceroom/agent-core/dialog';
import type { ChatMessage, DialogSession } from '@voiceroom/agent-core/stages';
import { AgentConfigSchema } from '@voiceroom/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PocketSphinxStt } from '../../../agent-worker/src/stages/stt/pocketsphinx/PocketSphinxStt.ts';
import { FliteTts } from '../../../agent-worker/src/stages/tts/flite/FliteTts.ts';
import { FlitePeerTts } from '../FlitePeerTts.ts';
import { PocketSphinxPeerStt } from '../PocketSphinxPeerStt.ts';
import { ScriptedPeerLlm } from '../ScriptedPeerLlm.ts';

const ROOT = path.join(import.meta.dirname, '..', '..', '..');
const config = AgentConfigSchema.parse(
  parse(await readFile(path.join(ROOT, 'agents', 'pizzeria.yaml'), 'utf8')),
);

async function ourReply(session: DialogSession, history: ChatMessage[], userText: string): Promise<string> {
  let text = '';
  for await (const chunk of session.respond({ history, userText, hints: [] }, new AbortController().signal))
    if (chunk.type === 'text') text += chunk.text;
  return text;
}

describe("bench:peer's adapters around our stages", () => {
  // the framework's streams log through its own logger, which its CLI sets up
  beforeAll(() => initializeLogger({ pretty: false, level: 'warn' }));

  it('the LLM adapter says what our scripted dialog says, keeping the order across turns', async () => {
    const peer = new ScriptedPeerLlm(new ScriptedDialog({ config }));
    const ours = new ScriptedDialog({ config }).createSession();
    const chatCtx = llm.ChatContext.empty();
    const history: ChatMessage[] = [{ role: 'assistant', content: config.greeting }];
    chatCtx.addMessage({ role: 'assistant', content: config.greeting });
    // the later answers depend on the order taken so far (out of context, "that's all" is answered by asking for one)
    for (const line of ['two large pepperoni pizzas please', "that's all", 'Alice']) {
      chatCtx.addMessage({ role: 'user', content: line });
      history.push({ role: 'user', content: line });
      const { text } = await peer.chat({ chatCtx }).collect();
      const expected = await ourReply(ours, history, line);
      expect(text).toBe(expected);
      expect(text.length).toBeGreaterThan(0);
      chatCtx.addMessage({ role: 'assistant', content: text });
      history.push({ role: 'assistant', content: text });
    }
    await peer.aclose();
  });

  it('the TTS adapter delivers all of our flite audio as frames, the last one final', async () => {
    const voice = await FliteTts.create({ voice: config.tts.voice });
    const text = 'Two large pepperoni pizzas. Anything else?';
    let ourSamples = 0;
    for await (const pcm of voice.synthesize(text, new AbortController().signal)) ourSamples += pcm.length;
    const frames = [];
    for await (const audio of new FlitePeerTts(voice).synthesize(text)) frames.push(audio);
    expect(ourSamples).toBeGreaterThan(voice.sampleRate / 2);
    expect(frames.reduce((n, a) => n + a.frame.samplesPerChannel, 0)).toBe(ourSamples);
    expect(frames.every((a) => a.frame.sampleRate === voice.sampleRate)).toBe(true);
    expect(frames.map((a) => a.final)).toEqual([...frames.slice(1).map(() => false), true]);
    voice.close();
  });

  it('the STT adapter recognises a 48 kHz segment with our PocketSphinx, one utterance after another', async () => {
    const voice = await FliteTts.create({ voice: config.tts.voice });
    const frameOf = async (text: string) => {
      const chunks: Int16Array[] = [];
      for await (const pcm of voice.synthesize(text, new AbortController().signal)) chunks.push(pcm);
      const pcm = Int16Array.from(chunks.flatMap((c) => [...c]));
      // the room's rate: each sample repeated up to 48 kHz (the adapter resamples to PocketSphinx's 16 kHz)
      const factor = 48_000 / voice.sampleRate;
      const up = Int16Array.from({ length: pcm.length * factor }, (_, i) => pcm[Math.floor(i / factor)] ?? 0);
      return new AudioFrame(up, 48_000, 1, up.length);
    };
    const stt = new PocketSphinxPeerStt(await PocketSphinxStt.create({ domain: config }));
    const first = await stt.recognize(await frameOf('two large pepperoni pizzas please'));
    const second = await stt.recognize(await frameOf('and a lemonade'));
    expect(first.alternatives?.[0].text).toContain('pepperoni');
    expect(second.alternatives?.[0].text).toContain('lemonade');
    await stt.close();
    voice.close();
  });
});
