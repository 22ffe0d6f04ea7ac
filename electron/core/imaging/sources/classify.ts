import { sniffDicom } from '../dicom/sniff';

/**
 * What to do with one file found on a disc, decided from its path and its first bytes. Nothing is ever executed:
 * 'skip-software' files are neither run nor imported as documents.
 *
 * - 'skip-software': viewer programs, autorun, executables and libraries, Java runtimes and plugins, help files,
 *   IHE_PDI web pages (the disc's HTML index), disc boilerplate (README/LICENSE next to the viewer).
 * - 'report': a report beside the DICOM tree (PDF, HTML, plain text, RTF), by content or by name.
 * - 'dicomdir': the disc's index; read it with readDicomdirHint (a hint only) and do not catalogue it as an image.
 * - 'candidate': anything else; let the DICOM sniffer (isDicom) decide. Most disc files have no extension.
 */
export type DiscFileClass =
  | { kind: 'skip-software'; reason: SoftwareReason }
  | { kind: 'report'; format: ReportFormat }
  | { kind: 'dicomdir' }
  | { kind: 'candidate' };

export type SoftwareReason = 'executable' | 'autorun' | 'viewer-folder' | 'ihe-pdi' | 'help' | 'disc-info';
export type ReportFormat = 'pdf' | 'html' | 'txt' | 'rtf';

const SOFTWARE_EXTENSIONS = new Set([
  'exe', 'dll', 'com', 'bat', 'cmd', 'msi', 'msp', 'scr', 'pif', 'cpl', 'ocx', 'sys', 'drv', 'vxd', 'ax',
  'vbs', 'vbe', 'js', 'jse', 'wsf', 'wsh', 'ps1', 'psm1', 'hta', 'reg', 'lnk', 'url', 'inf', 'ini', 'cab',
  'jar', 'class', 'jnlp', 'war', 'so', 'dylib', 'bundle', 'app', 'pkg', 'dmg', 'sh', 'command', 'py', 'pl',
  'manifest', 'config', 'dat', 'icns', 'ico', 'cur', 'ani', 'chm', 'hlp', 'cnt', 'pdb', 'lib', 'a', 'o', 'tlb',
  'css', 'swf', 'xap', 'mui', 'nls', 'lic', 'key',
]);

/** Folder names that only ever hold viewer software or its support files (compared case-insensitively). */
const SOFTWARE_FOLDERS = new Set([
  'jre', 'jvm', 'plugins', 'plugin', 'bin', 'lib', 'libs', 'help', 'autorun', 'viewer', 'viewers',
  'dicomviewer', 'cdviewer', 'program', 'programs', 'setup', 'install', 'installer', 'runtime', 'redist',
  'vcredist', 'dotnet', 'frameworks', 'osirix', 'weasis', 'kpacs', 'k-pacs', 'efilm', 'microdicom', 'radiant',
  'ezdicom', 'inteleviewer', 'jdk',
]);

const HELP_EXTENSIONS = new Set(['chm', 'hlp', 'cnt']);
const REPORT_EXTENSIONS: Record<string, ReportFormat> = { pdf: 'pdf', html: 'html', htm: 'html', txt: 'txt', rtf: 'rtf' };
const DISC_INFO_NAMES = /^(readme|read_me|read me|license|licence|copying|eula|copyright|third[-_ ]?party|notice)([._ -].*)?$/i;

function startsWith(head: Uint8Array, bytes: number[], at = 0): boolean {
  if (head.length < at + bytes.length) return false;
  return bytes.every((b, i) => head[at + i] === b);
}

/** Executable or library formats, whatever the file is called. */
function isExecutableContent(head: Uint8Array): boolean {
  return (
    startsWith(head, [0x4d, 0x5a]) || // MZ: Windows PE / DOS
    startsWith(head, [0x7f, 0x45, 0x4c, 0x46]) || // ELF
    startsWith(head, [0xcf, 0xfa, 0xed, 0xfe]) || // Mach-O 64
    startsWith(head, [0xce, 0xfa, 0xed, 0xfe]) || // Mach-O 32
    startsWith(head, [0xfe, 0xed, 0xfa, 0xcf]) ||
    startsWith(head, [0xfe, 0xed, 0xfa, 0xce]) ||
    startsWith(head, [0xca, 0xfe, 0xba, 0xbe]) || // Mach-O universal / Java class
    startsWith(head, [0x23, 0x21]) // '#!' script
  );
}

function asciiLower(head: Uint8Array, max: number): string {
  let s = '';
  const end = Math.min(head.length, max);
  for (let i = 0; i < end; i += 1) s += String.fromCharCode(head[i]!);
  return s.toLowerCase();
}

function reportByContent(head: Uint8Array): ReportFormat | null {
  const text = asciiLower(head, 1024);
  if (text.includes('%pdf-')) return 'pdf';
  const trimmed = text.replace(/^\ufeff|^\xef\xbb\xbf/, '').trimStart();
  if (trimmed.startsWith('{\\rtf')) return 'rtf';
  if (/^<!doctype html|^<html[\s>]|^<\?xml[^>]*>\s*<html[\s>]/.test(trimmed)) return 'html';
  return null;
}

/** Classifies one disc file. `path` is the normalised relative path; `head` its first bytes (≥ 1 KiB is enough). */
export function classifyDiscFile(path: string, head: Uint8Array): DiscFileClass {
  const segments = path.split('/');
  const base = segments[segments.length - 1] ?? '';
  const lowerBase = base.toLowerCase();
  const folders = segments.slice(0, -1).map((s) => s.toLowerCase());
  const dot = lowerBase.lastIndexOf('.');
  const ext = dot > 0 ? lowerBase.slice(dot + 1) : '';

  if (lowerBase === 'dicomdir') return { kind: 'dicomdir' };
  // Real DICOM content wins over folder heuristics (a viewer folder never holds the patient's images, but if a disc
  // puts them there we must not lose them). Executable formats never win: they cannot carry 'DICM' at 128 … except
  // PE/DICOM polyglots, which are valid DICOM and are treated as such (stored unchanged, never executed).
  const flavour = sniffDicom(head);
  if (flavour === 'part10') return { kind: 'candidate' };

  if (folders.includes('ihe_pdi')) return { kind: 'skip-software', reason: 'ihe-pdi' };
  if (/^autorun(\.|$)/.test(lowerBase) || lowerBase === 'autorun.inf' || lowerBase === 'desktop.ini') {
    return { kind: 'skip-software', reason: 'autorun' };
  }
  if (isExecutableContent(head)) return { kind: 'skip-software', reason: 'executable' };
  if (flavour !== null) return { kind: 'candidate' };
  if (HELP_EXTENSIONS.has(ext)) return { kind: 'skip-software', reason: 'help' };
  if (SOFTWARE_EXTENSIONS.has(ext)) return { kind: 'skip-software', reason: 'executable' };
  if (folders.some((f) => SOFTWARE_FOLDERS.has(f) || /^jre[-_.\d]/.test(f) || f.endsWith('.app'))) {
    return { kind: 'skip-software', reason: folders.includes('help') ? 'help' : 'viewer-folder' };
  }

  const byContent = reportByContent(head);
  const byName = REPORT_EXTENSIONS[ext];
  if (byContent === 'pdf' || byContent === 'rtf') return { kind: 'report', format: byContent };
  if (DISC_INFO_NAMES.test(base) && segments.length <= 2 && (byName === 'txt' || byName === 'html' || ext === '')) {
    return { kind: 'skip-software', reason: 'disc-info' };
  }
  if (byContent === 'html') return { kind: 'report', format: 'html' };
  if (byName) return { kind: 'report', format: byName };
  return { kind: 'candidate' };
}
