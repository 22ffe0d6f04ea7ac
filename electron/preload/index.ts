/**
 * The preload of our one window. Bundled to CommonJS (dist/electron/preload.cjs) because sandboxed preloads
 * can neither be ES modules nor require anything but a few Electron-provided modules.
 * It exposes exactly `window.vault` (contract functions + onEvent) and, separately, `window.files` (the path of a
 * picked or dropped file, for imports, and the system's Save dialog, for packets); never ipcRenderer or webUtils.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { forwardActivity } from './activity';
import { buildWindowApi } from './api';
import { ACTIVITY } from './channels';
import { buildFilesApi } from './files';

// Refuse to expose anything if the window was created without isolation or sandbox (checklist items 1–2).
if (process.contextIsolated !== true) {
  throw new Error('Second Opinion: context isolation is off; refusing to expose the vault API.');
}
if (process.sandboxed !== true) {
  throw new Error('Second Opinion: the renderer is not sandboxed; refusing to expose the vault API.');
}

contextBridge.exposeInMainWorld('vault', buildWindowApi(ipcRenderer));
contextBridge.exposeInMainWorld('files', buildFilesApi(webUtils, ipcRenderer));

forwardActivity(window, () => ipcRenderer.send(ACTIVITY));
