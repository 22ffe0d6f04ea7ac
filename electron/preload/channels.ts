/**
 * IPC channel names shared by the preload and main. These are the only channels the renderer can reach,
 * and only through the functions the preload exposes.
 */
/** ipcRenderer.invoke(CONTRACT_CALL, operationName, input) → Result envelope (ipcMain.handle in main). */
export const CONTRACT_CALL = 'contract:call';
/** webContents.send(CONTRACT_EVENT, coreEvent): core events pushed to the window. */
export const CONTRACT_EVENT = 'contract:event';
/** ipcRenderer.send(ACTIVITY): throttled "someone is using the window" pings for auto-lock. No payload. */
export const ACTIVITY = 'app:activity';
/**
 * ipcRenderer.invoke(CHOOSE_SAVE_LOCATION, { suggestedName, format }) → absolute path or null (ipcMain.handle in
 * main, which shows the system's Save dialog). Both ends validate the request with shared/files.ts.
 */
export const CHOOSE_SAVE_LOCATION = 'files:choose-save-location';
