/**
 * Electron's main process: thin glue. Every decision lives in a pure, unit-tested module beside this file;
 * all vault work runs in the core process (utilityProcess), never on this thread.
 * Bundled to CommonJS as dist/electron/main.cjs (package.json "main").
 */
import path from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  powerMonitor,
  protocol,
  session,
  utilityProcess,
  type FileFilter,
  type SaveDialogOptions,
} from 'electron';
import { suggestedFileName, type SaveLocationRequest } from '../../shared/files';
import { hostArgs } from '../core/host/config';
import { defaultExportDir, defaultVaultDir } from '../core/platform/paths';
import { handleAppRequest } from './app-protocol';
import { AutoLock, syncAutoLockMinutes } from './auto-lock';
import { CoreSupervisor, type CoreProcess } from './core-supervisor';
import { registerIpc } from './ipc';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  isAllowedNavigation,
  permissionHandler,
  permissionRequestHandler,
  requestFilter,
  VAULT_SCHEME,
  windowOpenHandler,
} from './security';
import { handleVaultRequest } from './vault-protocol';
import { windowOptions } from './window-options';

// Sandbox every renderer, whatever its options say. Must happen before the app is ready.
app.enableSandbox();

// Our UI and the vault's files are served by custom protocols, never file:// (checklist item 12).
// corsEnabled lets Vite's `<script type="module" crossorigin>` load from app://bundle and lets the UI fetch
// vault:// (which answers only app://bundle in Access-Control-Allow-Origin); stream enables range streaming.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, corsEnabled: true } },
  { scheme: VAULT_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, corsEnabled: true } },
]);

const PRELOAD_PATH = path.join(__dirname, 'preload.cjs');
const CORE_ENTRY_PATH = path.join(__dirname, 'core-host.cjs');
const RENDERER_ROOT = path.join(__dirname, '..', 'renderer');
/** Dev-only (npm start): the Electron-ABI build of better-sqlite3-multiple-ciphers. Ignored when packaged. */
const SQLITE_BINDING_ENV = 'SECOND_OPINION_SQLITE_BINDING';

let mainWindow: BrowserWindow | null = null;
let core: CoreSupervisor | null = null;
let autoLock: AutoLock | null = null;
let coreClosed = false;

function warn(event: string, facts: Record<string, string | number> = {}) {
  console.warn(JSON.stringify({ at: new Date().toISOString(), level: 'warn', event, ...facts }));
}

function spawnCore(): CoreProcess {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  delete env.ELECTRON_RUN_AS_NODE;
  delete env.NODE_OPTIONS;
  // A packaged app never loads native code named by an environment variable.
  if (app.isPackaged) delete env[SQLITE_BINDING_ENV];
  const vaultDir = path.resolve(process.env.SECOND_OPINION_VAULT ?? defaultVaultDir());
  const child = utilityProcess.fork(CORE_ENTRY_PATH, hostArgs({ vaultDir }), {
    serviceName: 'Second Opinion core',
    stdio: 'inherit',
    env,
  });
  return {
    port: {
      postMessage: (message) => child.postMessage(message),
      on: (_event, listener) => child.on('message', listener),
    },
    onExit: (listener) => {
      child.on('exit', listener);
    },
    kill: () => {
      child.kill();
    },
  };
}

/** The Save dialog's file-type filter for each packet format (a folder has none). */
const SAVE_DIALOG_FILTERS: Readonly<Record<SaveLocationRequest['format'], FileFilter[]>> = {
  folder: [],
  zip: [{ name: 'Zip file', extensions: ['zip'] }],
  iso: [{ name: 'Disc image', extensions: ['iso'] }],
};

/**
 * The system's Save dialog for a packet (window.files.chooseSaveLocation), opening in the exports folder the core
 * uses by default (the core process gets this process's environment, so defaultExportDir() agrees). Only a
 * convenience: the core still refuses a name that exists and any place inside the vault.
 */
async function chooseSaveLocation(request: SaveLocationRequest): Promise<string | null> {
  const options: SaveDialogOptions = {
    title: 'Save the packet',
    defaultPath: path.join(path.resolve(defaultExportDir()), suggestedFileName(request)),
    buttonLabel: 'Save here',
    filters: SAVE_DIALOG_FILTERS[request.format],
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  };
  const window = mainWindow && !mainWindow.isDestroyed() ? mainWindow : null;
  const { canceled, filePath } = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
  return canceled || !filePath ? null : filePath;
}

function hardenSession() {
  const ses = session.defaultSession;
  ses.webRequest.onBeforeRequest(requestFilter);
  ses.setPermissionRequestHandler(permissionRequestHandler);
  ses.setPermissionCheckHandler(permissionHandler);
  ses.setDevicePermissionHandler(permissionHandler);
  ses.on('will-download', (event) => event.preventDefault());
}

function hardenWebContents() {
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(windowOpenHandler);
    contents.on('will-navigate', (event) => {
      if (!isAllowedNavigation(event.url)) event.preventDefault();
    });
    contents.on('will-redirect', (event) => {
      if (!isAllowedNavigation(event.url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

function createWindow() {
  const win = new BrowserWindow(windowOptions(PRELOAD_PATH, app.isPackaged));
  mainWindow = win;
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  win.webContents.on('render-process-gone', (_event, details) => {
    warn('main.renderer-gone', { reason: details.reason });
    void core?.lock('system');
    if (!win.isDestroyed()) win.reload();
  });
  void win.loadURL(APP_ENTRY_URL);
}

async function start() {
  hardenSession();
  hardenWebContents();

  const supervisor = new CoreSupervisor({
    spawn: spawnCore,
    onGiveUp: () => {
      dialog.showErrorBox(
        'Second Opinion cannot continue',
        'The part of the app that keeps your vault keeps stopping. Nothing in the vault was changed. Please restart the app.',
      );
      app.quit();
    },
  });
  core = supervisor;

  protocol.handle(APP_SCHEME, (request) => handleAppRequest(request, RENDERER_ROOT));
  protocol.handle(VAULT_SCHEME, (request) => handleVaultRequest(request, (id, range) => supervisor.openBlob(id, range)));

  const lock = new AutoLock({ powerMonitor, lock: (reason) => supervisor.lock(reason) });
  autoLock = lock;
  lock.start();
  const syncMinutes = () => void syncAutoLockMinutes((operation, input) => supervisor.call(operation, input), lock).catch(() => {});
  supervisor.onEvent((event) => {
    if (event.type === 'changed') syncMinutes();
  });
  void supervisor.ready.then(syncMinutes);

  registerIpc({
    ipcMain,
    core: supervisor,
    expectedWebContentsId: () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents.id : null),
    sendToWindow: (channel, event) => {
      if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(channel, event);
    },
    onActivity: () => lock.activity(),
    onRefused: (channel) => warn('main.ipc-refused', { channel }),
    chooseSaveLocation,
  });

  createWindow();
}

if (!app.requestSingleInstanceLock()) {
  // Two instances would fight over the vault: hand over to the running one.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.on('window-all-closed', () => app.quit());

  app.on('will-quit', (event) => {
    if (coreClosed || !core) return;
    // Lock the vault (wipes keys, closes the database) before the process goes away.
    event.preventDefault();
    autoLock?.stop();
    void core.close().finally(() => {
      coreClosed = true;
      app.quit();
    });
  });

  app.whenReady().then(start).catch((error: unknown) => {
    warn('main.start-failed', { name: error instanceof Error ? error.name : typeof error });
    app.quit();
  });
}
