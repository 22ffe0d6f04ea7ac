import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The one place our window's options are decided (security checklist item 1). Pure: unit-tested with
 * deepEqual, and a static test fails the build if weaker settings appear anywhere in electron/.
 */
export function windowOptions(preloadPath: string, isPackaged: boolean): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 860,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    title: 'Second Opinion',
    backgroundColor: '#ffffff',
    autoHideMenuBar: isPackaged,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: !isPackaged,
      spellcheck: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      experimentalFeatures: false,
    },
  };
}
