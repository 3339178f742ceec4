/** The parts of the @echogarden/rnnoise-wasm package (RNNoise compiled by Emscripten, no types shipped) used here. */
declare module '@echogarden/rnnoise-wasm' {
  export interface RnnoiseModule {
    HEAPF32: Float32Array;
    _malloc(bytes: number): number;
    _free(pointer: number): void;
    _rnnoise_get_frame_size(): number;
    /** A denoiser state with the built-in model (model pointer 0). */
    _rnnoise_create(model: number): number;
    _rnnoise_destroy(state: number): void;
    /** Denoises one frame of float samples at 16-bit scale; returns the frame's speech probability. */
    _rnnoise_process_frame(state: number, output: number, input: number): number;
  }
  const createRnnoiseModule: () => Promise<RnnoiseModule>;
  export default createRnnoiseModule;
}
