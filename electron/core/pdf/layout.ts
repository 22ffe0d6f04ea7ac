import { createRequire } from 'node:module';
import fs from 'node:fs';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';

/**
 * A small text-layout helper over pdf-lib for the PDFs the app writes (comparisons, cover letters, prep sheets):
 * wrapped paragraphs, headings, simple tables and a "page X of Y" footer. pdf-lib places glyphs but does no
 * layout, and no maintained npm library does flowing text with embedded Unicode fonts without a browser — so
 * this stays deliberately small. DejaVu Sans is embedded (subset) so names in Latin, Greek and Cyrillic scripts
 * print correctly; the standard PDF fonts only cover Western European characters.
 */

const require = createRequire(import.meta.url);
const FONT_DIR = `${require.resolve('dejavu-fonts-ttf/package.json').replace(/package\.json$/, '')}ttf/`;

export const PAGE = { width: 612, height: 792, margin: 54 } as const; // US Letter; fits A4 printers too
const FOOTER_SPACE = 36;

export interface TextStyle {
  size?: number;
  bold?: boolean;
  color?: [number, number, number];
  indent?: number;
}

type Fontkit = Parameters<PDFDocument['registerFontkit']>[0];

let fontkitLoading: Promise<Fontkit> | null = null;

/**
 * fontkit (for Unicode fonts in PDFs) is loaded the first time a PDF is made: it takes a third of a second to load,
 * which every start of the core and the CLI would otherwise pay.
 */
export function loadFontkit(): Promise<Fontkit> {
  fontkitLoading ??= import('@pdf-lib/fontkit').then((module) => module.default as Fontkit);
  return fontkitLoading;
}

export class PdfLayout {
  readonly doc: PDFDocument;
  readonly #regular: PDFFont;
  readonly #bold: PDFFont;
  #page!: PDFPage;
  #y = 0;

  private constructor(doc: PDFDocument, regular: PDFFont, bold: PDFFont) {
    this.doc = doc;
    this.#regular = regular;
    this.#bold = bold;
    this.newPage();
  }

  static async create(title: string): Promise<PdfLayout> {
    const doc = await PDFDocument.create();
    doc.registerFontkit(await loadFontkit());
    doc.setTitle(title);
    doc.setProducer('Second Opinion');
    doc.setCreator('Second Opinion');
    const regular = await doc.embedFont(fs.readFileSync(`${FONT_DIR}DejaVuSans.ttf`), { subset: true });
    const bold = await doc.embedFont(fs.readFileSync(`${FONT_DIR}DejaVuSans-Bold.ttf`), { subset: true });
    return new PdfLayout(doc, regular, bold);
  }

  get pageCount(): number {
    return this.doc.getPageCount();
  }

  newPage(): void {
    this.#page = this.doc.addPage([PAGE.width, PAGE.height]);
    this.#y = PAGE.height - PAGE.margin;
  }

  /** Vertical space; starts a new page when little room is left. */
  space(points: number): void {
    this.#y -= points;
    if (this.#y < PAGE.margin + FOOTER_SPACE) this.newPage();
  }

  /** Keeps the next `points` together on one page. */
  keep(points: number): void {
    if (this.#y - points < PAGE.margin + FOOTER_SPACE) this.newPage();
  }

  heading(text: string, size = 16): void {
    this.keep(size * 3);
    this.space(size * 0.6);
    this.paragraph(text, { size, bold: true });
    this.space(size * 0.3);
  }

  /** A wrapped paragraph. Returns the number of lines written. */
  paragraph(text: string, style: TextStyle = {}): number {
    const size = style.size ?? 10.5;
    const indent = style.indent ?? 0;
    const lines = this.wrap(text, PAGE.width - 2 * PAGE.margin - indent, size, style.bold);
    for (const line of lines) {
      this.keep(size * 1.4);
      this.#y -= size * 1.4;
      this.#page.drawText(line, {
        x: PAGE.margin + indent,
        y: this.#y,
        size,
        font: style.bold ? this.#bold : this.#regular,
        color: rgb(...(style.color ?? [0.1, 0.1, 0.12])),
      });
    }
    return lines.length;
  }

  /**
   * A table with wrapped cells. Column widths are fractions of the text width. `shade` marks rows to highlight
   * (e.g. differences); highlighted rows also carry a text marker in their cells so meaning never rests on colour.
   */
  table(header: string[], rows: { cells: string[]; shade?: boolean }[], widths: number[], size = 9): void {
    const total = PAGE.width - 2 * PAGE.margin;
    const columns = widths.map((fraction) => fraction * total);
    const drawRow = (cells: string[], bold: boolean, shade: boolean) => {
      const wrapped = cells.map((cell, index) => this.wrap(cell, (columns[index] ?? 60) - 6, size, bold));
      const height = Math.max(...wrapped.map((lines) => lines.length)) * size * 1.3 + 6;
      this.keep(height);
      if (shade) {
        this.#page.drawRectangle({ x: PAGE.margin, y: this.#y - height, width: total, height, color: rgb(1, 0.95, 0.82) });
      }
      let x = PAGE.margin;
      wrapped.forEach((lines, index) => {
        lines.forEach((line, lineIndex) => {
          this.#page.drawText(line, {
            x: x + 3,
            y: this.#y - 3 - (lineIndex + 1) * size * 1.3 + size * 0.3,
            size,
            font: bold ? this.#bold : this.#regular,
            color: rgb(0.1, 0.1, 0.12),
          });
        });
        x += columns[index] ?? 60;
      });
      this.#y -= height;
      this.#page.drawLine({
        start: { x: PAGE.margin, y: this.#y },
        end: { x: PAGE.margin + total, y: this.#y },
        thickness: 0.4,
        color: rgb(0.7, 0.7, 0.72),
      });
    };
    drawRow(header, true, false);
    for (const row of rows) drawRow(row.cells, false, row.shade ?? false);
  }

  /** Writes "text · page X of Y" at the bottom of every page. Call once, after all content. */
  footer(text: string): void {
    const pages = this.doc.getPages();
    pages.forEach((page, index) => {
      const label = `${text}${text ? ' · ' : ''}page ${index + 1} of ${pages.length}`;
      page.drawText(this.fit(label, PAGE.width - 2 * PAGE.margin, 8), {
        x: PAGE.margin,
        y: PAGE.margin / 2,
        size: 8,
        font: this.#regular,
        color: rgb(0.35, 0.35, 0.38),
      });
    });
  }

  async save(): Promise<Uint8Array> {
    return this.doc.save();
  }

  /** Word-wraps text to a width; breaks words longer than a line. Characters the font lacks become '?'. */
  wrap(text: string, width: number, size: number, bold = false): string[] {
    const font = bold ? this.#bold : this.#regular;
    const measure = (value: string) => font.widthOfTextAtSize(value, size);
    const lines: string[] = [];
    for (const paragraph of this.printable(font, text).split('\n')) {
      let line = '';
      for (const word of paragraph.split(/\s+/).filter(Boolean)) {
        const candidate = line ? `${line} ${word}` : word;
        if (measure(candidate) <= width) {
          line = candidate;
          continue;
        }
        if (line) lines.push(line);
        line = word;
        while (measure(line) > width && line.length > 1) {
          let cut = line.length - 1;
          while (cut > 1 && measure(line.slice(0, cut)) > width) cut -= 1;
          lines.push(line.slice(0, cut));
          line = line.slice(cut);
        }
      }
      lines.push(line);
    }
    return lines;
  }

  fit(text: string, width: number, size: number): string {
    const [first = ''] = this.wrap(text, width, size);
    return first;
  }

  /** Replaces characters the embedded font cannot draw, so one odd character never breaks a whole PDF. */
  printable(font: PDFFont, text: string): string {
    const supported = characterSetOf(font);
    return [...text.replace(/\r\n?/g, '\n').replace(/\t/g, '    ')]
      .map((char) => (char === '\n' || supported.has(char.codePointAt(0) ?? 0) ? char : '?'))
      .join('');
  }
}

/** A font's drawable code points, built once per font: the set has thousands of entries and every wrapped line asks. */
const characterSets = new WeakMap<PDFFont, Set<number>>();

function characterSetOf(font: PDFFont): Set<number> {
  let set = characterSets.get(font);
  if (!set) {
    set = new Set(font.getCharacterSet());
    characterSets.set(font, set);
  }
  return set;
}
