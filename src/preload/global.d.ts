// What the preload puts on window under Electron. Absent in browser mode (the renderer then uses the HTTP
// bridge), hence optional.
import type { PreloadApi } from '../shared/contract';

declare global {
  interface Window {
    latentLab?: PreloadApi;
  }
}

export {};
