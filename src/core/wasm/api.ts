// The slice of the WebAssembly JS API the engine uses (the project's TypeScript lib has no WebAssembly types).

export interface WasmMemory {
  /** An ArrayBuffer, or a SharedArrayBuffer for a shared memory (a fresh object after every grow). */
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

export interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
  validate(bytes: Uint8Array): boolean;
}

export const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** Bytes per WebAssembly memory page. */
export const PAGE = 65_536;
