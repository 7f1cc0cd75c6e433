/// <reference types="vite/client" />
import type { PreloadApi } from '../shared/contract';

declare global {
  interface Window {
    /** Exposed by the Electron preload (contextBridge). Absent in browser mode, where the HTTP bridge is used. */
    latentLab?: PreloadApi;
  }
}

export {};
