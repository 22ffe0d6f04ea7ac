import { pdfThumbnail } from './analysis/images';
import { openPdf } from './analysis/pdf';
import type { PageText } from './store';

/**
 * Text of documents that arrive as bytes rather than files: PDFs inside a disc image or a DICOM file, and the
 * HTML/TXT/RTF reports found on imaging discs. Nothing is written to disk in plaintext to read them.
 */

export async function pdfBytesToDocument(bytes: Uint8Array, signal?: AbortSignal): Promise<{ pages: PageText[]; thumbnail: Buffer | null }> {
  const reader = await openPdf(new Uint8Array(bytes), signal ? { signal } : {});
  try {
    const pages: PageText[] = [];
    for await (const page of reader.pages(signal)) {
      // Reports on discs are produced by software and carry a text layer; a rare scanned one is kept with
      // source 'none' (findable by its title and notes, and viewable) rather than OCR'd here.
      pages.push({ page: page.page, text: page.needsOcr && page.meaningfulChars === 0 ? '' : page.text, source: page.meaningfulChars > 0 ? 'text-layer' : 'none', confidence: null });
    }
    const thumbnail = reader.pageCount > 0 ? await pdfThumbnail(reader, signal ? { signal } : {}).catch(() => null) : null;
    return { pages, thumbnail };
  } finally {
    await reader.close();
  }
}

export type TextFormat = 'txt' | 'html' | 'rtf';

export const TEXT_MIME: Record<TextFormat, string> = {
  txt: 'text/plain',
  html: 'text/html',
  rtf: 'application/rtf',
};

/** Readable text from a small text report. Decodes UTF-8, falling back to Latin-1 for older Windows files. */
export function textReportToPages(bytes: Uint8Array, format: TextFormat): PageText[] {
  const raw = decode(bytes);
  const text = format === 'html' ? htmlToText(raw) : format === 'rtf' ? rtfToText(raw) : raw;
  return [{ page: 1, text: text.replace(/\r\n?/g, '\n').replace(/\n{3,}/g, '\n\n').trim(), source: 'text-layer', confidence: null }];
}

function decode(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('latin1').decode(bytes);
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * Plain text of an HTML report. Deliberately simple (no DOM needed for text): scripts and styles are dropped,
 * block elements become line breaks, entities are decoded. The HTML itself is never rendered by the app.
 */
export function htmlToText(html: string): string {
  return replaceTags(dropElements(html).replace(/<br\s*\/?>|<\/(p|div|tr|li|h[1-6]|table)>/gi, '\n'))
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (match, entity: string) => {
      if (entity[0] === '#') {
        const code = entity[1]?.toLowerCase() === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : ' ';
      }
      return ENTITIES[entity.toLowerCase()] ?? match;
    })
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n');
}

/** Plain text of an RTF report: control words and groups like font tables are removed, \par becomes a line break. */
export function rtfToText(rtf: string): string {
  return dropRtfTables(rtf.replace(/\{\\\*[^{}]*\}/g, ''))
    .replace(/\\par[d]?\b ?/g, '\n')
    .replace(/\\'([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/\\[a-z]+-?\d* ?/gi, '')
    .replace(/[{}]/g, '')
    .replace(/[ \t]+/g, ' ');
}

/*
 * The helpers below do what a lazy regular expression such as /<script[\s\S]*?<\/script\s*>/ or /<[^>]*>/ would, in
 * linear time. The regular expressions scanned to the end of the text again for every opening that was never closed,
 * so a report of a few megabytes made of '<' (or '<script', or '{\fonttbl') took hours.
 */

/** <script>, <style> and <head> elements with their content become a space; one never closed ends the search for its kind. */
function dropElements(html: string): string {
  const open = /<(script|style|head)/gi;
  const unclosed = new Set<string>();
  let out = '';
  let last = 0;
  for (let found = open.exec(html); found; found = open.exec(html)) {
    const name = found[1]!.toLowerCase();
    if (unclosed.has(name)) continue;
    const close = new RegExp(`<\\/${name}\\s*>`, 'gi');
    close.lastIndex = open.lastIndex;
    if (!close.exec(html)) {
      unclosed.add(name);
      continue;
    }
    out += `${html.slice(last, found.index)} `;
    last = close.lastIndex;
    open.lastIndex = last;
  }
  return out + html.slice(last);
}

/** Every tag, from '<' to the next '>', becomes a space (as /<[^>]*>/g would do). */
function replaceTags(html: string): string {
  const parts: string[] = [];
  let at = 0;
  for (;;) {
    const lt = html.indexOf('<', at);
    if (lt < 0) break;
    const gt = html.indexOf('>', lt + 1);
    if (gt < 0) break; // no '>' after this '<', so none after any later '<' either
    parts.push(html.slice(at, lt), ' ');
    at = gt + 1;
  }
  parts.push(html.slice(at));
  return parts.join('');
}

/** Font, colour and style tables and the info group of an RTF file, up to their closing '}}', are removed. */
function dropRtfTables(rtf: string): string {
  const open = /\{\\(fonttbl|colortbl|stylesheet|info)/g;
  const close = /\}\s*\}/g;
  let out = '';
  let last = 0;
  for (let found = open.exec(rtf); found; found = open.exec(rtf)) {
    close.lastIndex = open.lastIndex;
    if (!close.exec(rtf)) break; // never closed: nothing after it is closed either
    out += rtf.slice(last, found.index);
    last = close.lastIndex;
    open.lastIndex = last;
  }
  return out + rtf.slice(last);
}
