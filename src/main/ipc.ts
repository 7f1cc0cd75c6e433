// The whole IPC surface: one invoke channel (checked sender -> dispatch) and one event channel (service events
// -> our windows). Validation and envelopes live in dispatch.ts, shared with the HTTP bridge.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../shared/contract';
import type { AppServices } from '../server/services/types';
import { dispatch, errorEnvelope } from '../server/dispatch';
import { isTrustedSender } from '../server/security';

export interface IpcOptions {
  appUrl: string;
  /** The windows that may call the contract and receive its events. */
  windows: () => BrowserWindow[];
}

function isOurWindow(event: IpcMainInvokeEvent, o: IpcOptions): boolean {
  return o.windows().some((win) => !win.isDestroyed() && win.webContents.id === event.sender.id);
}

/** A call counts only from the top-level frame of one of our windows while it shows the app. */
function isTrustedCall(event: IpcMainInvokeEvent, o: IpcOptions): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  return isOurWindow(event, o) && isTrustedSender(frame.url, o.appUrl);
}

/** Registers the handler and the event forwarding; returns a function that removes both. */
export function registerIpc(services: AppServices, o: IpcOptions): () => void {
  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, method: unknown, input: unknown) => {
    if (!isTrustedCall(event, o)) {
      services.log.warn('ipc', `refused ${String(method)} from ${event.senderFrame?.url ?? 'a closed frame'}`);
      return errorEnvelope('FORBIDDEN', {});
    }
    return dispatch(services.handlers, method, input, services.log);
  });

  const unsubscribe = services.subscribe((e) => {
    for (const win of o.windows()) {
      if (win.isDestroyed() || win.webContents.isDestroyed()) continue;
      if (!isTrustedSender(win.webContents.getURL(), o.appUrl)) continue;
      win.webContents.send(IPC_EVENT_CHANNEL, e);
    }
  });

  return () => {
    unsubscribe();
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
  };
}
