import { describe, expect, it, vi } from 'vitest';
import { buildFilesApi } from '../../../electron/preload/files';
import { FILES_API_KEYS, FILE_PATH_MESSAGES } from '../../../shared/files';

// A stand-in for a DOM File: the preload never looks inside it, it only hands it to webUtils.
const someFile = { name: 'report.pdf' } as unknown as File;

describe('buildFilesApi (window.files)', () => {
  it('exposes exactly pathForFile, frozen, and never webUtils or its methods', () => {
    const webUtils = { getPathForFile: vi.fn(() => '/home/someone/report.pdf') };
    const api = buildFilesApi(webUtils) as unknown as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...FILES_API_KEYS].sort());
    expect(Object.isFrozen(api)).toBe(true);
    for (const value of Object.values(api)) {
      expect(typeof value).toBe('function');
      expect(value).not.toBe(webUtils.getPathForFile);
    }
    expect(api.webUtils).toBeUndefined();
    expect(api.getPathForFile).toBeUndefined();
  });

  it('resolves with the path webUtils gives for the file', async () => {
    const webUtils = { getPathForFile: vi.fn(() => '/home/someone/report.pdf') };
    await expect(buildFilesApi(webUtils).pathForFile(someFile)).resolves.toBe('/home/someone/report.pdf');
    expect(webUtils.getPathForFile).toHaveBeenCalledWith(someFile);
  });

  it('refuses files that are not on disk, and anything webUtils cannot handle, with readable messages', async () => {
    const notOnDisk = buildFilesApi({ getPathForFile: () => '' });
    await expect(notOnDisk.pathForFile(someFile)).rejects.toThrow(FILE_PATH_MESSAGES.notOnDisk);
    const throwing = buildFilesApi({
      getPathForFile: () => {
        throw new TypeError('Error processing argument at index 0');
      },
    });
    await expect(throwing.pathForFile('not a file' as unknown as File)).rejects.toThrow(FILE_PATH_MESSAGES.unreadable);
  });
});
