import { describe, expect, it } from 'vitest';
import { windowOptions } from '../../../electron/main/window-options';

// Security checklist item 1 (U): the window's webPreferences, exactly.
const SECURITY_KEYS = [
  'contextIsolation',
  'sandbox',
  'nodeIntegration',
  'nodeIntegrationInWorker',
  'nodeIntegrationInSubFrames',
  'webSecurity',
  'allowRunningInsecureContent',
  'webviewTag',
  'devTools',
  'spellcheck',
] as const;

function pick<T extends object>(object: T | undefined, keys: readonly string[]) {
  return Object.fromEntries(keys.map((key) => [key, (object as Record<string, unknown> | undefined)?.[key]]));
}

describe('windowOptions', () => {
  it.each([
    [true, false],
    [false, true],
  ])('isPackaged=%s: isolated, sandboxed, no Node, devTools=%s', (isPackaged, devTools) => {
    const options = windowOptions('/app/dist/electron/preload.cjs', isPackaged);
    expect(pick(options.webPreferences, SECURITY_KEYS)).toStrictEqual({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools,
      spellcheck: false,
    });
    expect(options.webPreferences?.preload).toBe('/app/dist/electron/preload.cjs');
  });

  it('has no other web preference that could loosen security', () => {
    const prefs = windowOptions('/p.cjs', true).webPreferences ?? {};
    const allowed = new Set([...SECURITY_KEYS, 'preload', 'navigateOnDragDrop', 'safeDialogs', 'experimentalFeatures']);
    expect(Object.keys(prefs).filter((key) => !allowed.has(key))).toEqual([]);
    expect(prefs).toMatchObject({ navigateOnDragDrop: false, experimentalFeatures: false });
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs).not.toHaveProperty('additionalArguments');
  });

  it('is at least 1024×700 and shown only when ready', () => {
    const options = windowOptions('/p.cjs', false);
    expect(options.minWidth).toBe(1024);
    expect(options.minHeight).toBe(700);
    expect(options.show).toBe(false);
  });
});
