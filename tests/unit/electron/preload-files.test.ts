import { describe, expect, it, vi } from 'vitest';
import { CHOOSE_SAVE_LOCATION } from '../../../electron/preload/channels';
import { BAD_SAVE_LOCATION_REQUEST, buildFilesApi, type FilesIpcLike } from '../../../electron/preload/files';
import { FILES_API_KEYS, FILE_PATH_MESSAGES, type SaveLocationRequest } from '../../../shared/files';

// A stand-in for a DOM File: the preload never looks inside it, it only hands it to webUtils.
const someFile = { name: 'report.pdf' } as unknown as File;

/** ipcRenderer stand-in: records invokes and answers with whatever the test says main answered. */
function fakeIpc(answer: unknown = null) {
  const invoke = vi.fn<FilesIpcLike['invoke']>(async () => answer);
  return { invoke };
}

const webUtils = () => ({ getPathForFile: vi.fn(() => '/home/someone/report.pdf') });
const zipRequest: SaveLocationRequest = { suggestedName: 'Second opinion packet 2025-04-02', format: 'zip' };

describe('buildFilesApi (window.files)', () => {
  it('exposes exactly pathForFile and chooseSaveLocation, frozen, and never webUtils, ipcRenderer or their methods', () => {
    const utils = webUtils();
    const ipc = fakeIpc();
    const api = buildFilesApi(utils, ipc) as unknown as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...FILES_API_KEYS].sort());
    expect([...FILES_API_KEYS].sort()).toEqual(['chooseSaveLocation', 'pathForFile']);
    expect(Object.isFrozen(api)).toBe(true);
    for (const value of Object.values(api)) {
      expect(typeof value).toBe('function');
      expect(value).not.toBe(utils.getPathForFile);
      expect(value).not.toBe(ipc.invoke);
    }
    expect(api.webUtils).toBeUndefined();
    expect(api.getPathForFile).toBeUndefined();
    expect(api.invoke).toBeUndefined();
    expect(api.ipcRenderer).toBeUndefined();
  });

  it('resolves with the path webUtils gives for the file', async () => {
    const utils = webUtils();
    await expect(buildFilesApi(utils, fakeIpc()).pathForFile(someFile)).resolves.toBe('/home/someone/report.pdf');
    expect(utils.getPathForFile).toHaveBeenCalledWith(someFile);
  });

  it('refuses files that are not on disk, and anything webUtils cannot handle, with readable messages', async () => {
    const notOnDisk = buildFilesApi({ getPathForFile: () => '' }, fakeIpc());
    await expect(notOnDisk.pathForFile(someFile)).rejects.toThrow(FILE_PATH_MESSAGES.notOnDisk);
    const throwing = buildFilesApi(
      {
        getPathForFile: () => {
          throw new TypeError('Error processing argument at index 0');
        },
      },
      fakeIpc(),
    );
    await expect(throwing.pathForFile('not a file' as unknown as File)).rejects.toThrow(FILE_PATH_MESSAGES.unreadable);
  });
});

describe('window.files.chooseSaveLocation (the Save dialog seam)', () => {
  it('forwards a valid request on its own channel and resolves with the chosen path', async () => {
    const ipc = fakeIpc('/media/usb/Second opinion packet 2025-04-02.zip');
    const api = buildFilesApi(webUtils(), ipc);
    await expect(api.chooseSaveLocation(zipRequest)).resolves.toBe('/media/usb/Second opinion packet 2025-04-02.zip');
    expect(ipc.invoke).toHaveBeenCalledTimes(1);
    expect(ipc.invoke).toHaveBeenCalledWith(CHOOSE_SAVE_LOCATION, zipRequest);
    expect(CHOOSE_SAVE_LOCATION).toBe('files:choose-save-location');
  });

  it('resolves with null when the person cancelled', async () => {
    for (const format of ['folder', 'zip', 'iso'] as const) {
      const ipc = fakeIpc(null);
      await expect(buildFilesApi(webUtils(), ipc).chooseSaveLocation({ suggestedName: 'Packet', format })).resolves.toBeNull();
      expect(ipc.invoke).toHaveBeenCalledWith(CHOOSE_SAVE_LOCATION, { suggestedName: 'Packet', format });
    }
  });

  it('sends only the validated fields, never the object the page passed', async () => {
    const ipc = fakeIpc(null);
    const request = { suggestedName: 'Packet', format: 'iso' } as SaveLocationRequest;
    await buildFilesApi(webUtils(), ipc).chooseSaveLocation(request);
    const sent = ipc.invoke.mock.calls[0]?.[1];
    expect(sent).toEqual(request);
    expect(sent).not.toBe(request);
  });

  it.each([
    ['no request', undefined],
    ['null', null],
    ['a string', 'Packet.zip'],
    ['an empty name', { suggestedName: '', format: 'zip' }],
    ['a name of 101 characters', { suggestedName: 'a'.repeat(101), format: 'zip' }],
    ['a slash', { suggestedName: '../../etc/passwd', format: 'zip' }],
    ['a backslash', { suggestedName: '..\\secret', format: 'zip' }],
    ['a drive colon', { suggestedName: 'C:packet', format: 'zip' }],
    ['a NUL', { suggestedName: 'pack\u0000et', format: 'zip' }],
    ['a newline', { suggestedName: 'pack\net', format: 'zip' }],
    ['DEL', { suggestedName: 'pack\u007fet', format: 'zip' }],
    ['a leading dot', { suggestedName: '.hidden', format: 'folder' }],
    ['an unknown format', { suggestedName: 'Packet', format: 'exe' }],
    ['no format', { suggestedName: 'Packet' }],
    ['an extra field', { suggestedName: 'Packet', format: 'zip', defaultPath: '/etc' }],
    ['a number as name', { suggestedName: 42, format: 'zip' }],
  ])('refuses %s without asking main', async (_name, request) => {
    const ipc = fakeIpc('/somewhere');
    const api = buildFilesApi(webUtils(), ipc);
    await expect(api.chooseSaveLocation(request as SaveLocationRequest)).rejects.toThrow(BAD_SAVE_LOCATION_REQUEST);
    expect(ipc.invoke).not.toHaveBeenCalled();
  });

  it('accepts names up to 100 characters with spaces, dashes and non-ASCII letters', async () => {
    const ipc = fakeIpc(null);
    const api = buildFilesApi(webUtils(), ipc);
    await expect(api.chooseSaveLocation({ suggestedName: 'a'.repeat(100), format: 'folder' })).resolves.toBeNull();
    await expect(api.chooseSaveLocation({ suggestedName: 'Zweitmeinung – Überweisung 2025-04-02', format: 'zip' })).resolves.toBeNull();
    expect(ipc.invoke).toHaveBeenCalledTimes(2);
  });

  it.each([
    ['a number', 42],
    ['an object', { path: '/media/usb/packet.zip' }],
    ['an array', ['/media/usb/packet.zip']],
    ['an empty string', ''],
    ['undefined', undefined],
    ['true', true],
  ])('turns %s from main into null', async (_name, answer) => {
    await expect(buildFilesApi(webUtils(), fakeIpc(answer)).chooseSaveLocation(zipRequest)).resolves.toBeNull();
  });

  it('turns a failed invoke (main not listening) into null, without Electron’s error text', async () => {
    const ipc = { invoke: vi.fn(async () => Promise.reject(new Error("Error invoking remote method 'files:choose-save-location': No handler registered"))) };
    await expect(buildFilesApi(webUtils(), ipc).chooseSaveLocation(zipRequest)).resolves.toBeNull();
  });
});
