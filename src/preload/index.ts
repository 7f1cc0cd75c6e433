// Sandboxed preload (bundled into one CommonJS file: out/preload/index.cjs). Exposes exactly the typed
// contract as window.latentLab: no ipcRenderer, no process, no env.
import { contextBridge, ipcRenderer } from 'electron';
import { createApi } from './createApi';

const api = createApi(ipcRenderer);

// Plain functions only: contextBridge proxies them and freezes the object in the page's world.
contextBridge.exposeInMainWorld('latentLab', {
  invoke: api.invoke.bind(api),
  on: api.on.bind(api),
});
