// The one way the renderer reaches the engine. Under Electron the preload exposes `window.latentLab`
// (IPC); in browser mode the page was served by the HTTP bridge, which signed the browser in with a cookie.
import type { LatentLabApi } from '../../shared/contract';
import { ApiError } from './apiError';
import { createBridgeClient } from './bridgeClient';

export { ApiError, toErrorInfo, type ErrorInfo } from './apiError';

export type ApiTransport = 'preload' | 'bridge' | 'custom';

let api: LatentLabApi | null = null;
let transport: ApiTransport = 'custom';

export function getApi(): LatentLabApi {
  if (api) return api;
  const preload = window.latentLab;
  if (preload) {
    // Electron's structured clone rejects Vue proxies: hand the preload plain JSON data only.
    api = {
      invoke: async (method, input) => {
        const reply = await preload.invoke(method, JSON.parse(JSON.stringify(input ?? {})));
        if (reply.ok) return reply.value;
        throw new ApiError(reply.error.message, reply.error.code, reply.error.params);
      },
      on: (event, listener) => preload.on(event, listener),
    };
    transport = 'preload';
  } else {
    api = createBridgeClient({ served: location.protocol === 'http:' || location.protocol === 'https:' });
    transport = 'bridge';
  }
  return api;
}

/** How getApi() reaches the engine (shown in the status bar). */
export function apiTransport(): ApiTransport {
  getApi();
  return transport;
}

/** Replaces the client (development with a fake engine). Call before the app mounts. */
export function setApi(custom: LatentLabApi): void {
  api = custom;
  transport = 'custom';
}
