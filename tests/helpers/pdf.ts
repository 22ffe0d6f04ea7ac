import fs from 'node:fs';
import { PDFDocument, StandardFonts } from 'pdf-lib';

/** A real PDF with a text layer: one page per entry, each page's text drawn line by line. */
export async function textPdf(pages: string[], options: { title?: string } = {}): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  if (options.title) pdf.setTitle(options.title);
  for (const text of pages) {
    const page = pdf.addPage([612, 792]);
    text.split('\n').forEach((line, index) => {
      page.drawText(line, { x: 54, y: 740 - index * 16, size: 11, font });
    });
  }
  return Buffer.from(await pdf.save());
}

export async function writeTextPdf(file: string, pages: string[]): Promise<Buffer> {
  const bytes = await textPdf(pages);
  fs.writeFileSync(file, bytes);
  return bytes;
}
