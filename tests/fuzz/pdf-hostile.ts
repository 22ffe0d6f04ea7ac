/**
 * Hand-made hostile PDFs (raw objects with a correct cross-reference table): deep nesting, absurd counts and lengths,
 * page-tree loops, broken cross-references, long filter chains, absurd page sizes, and images claiming absurd bits
 * per component (which make pdf.js loop for days).
 */

/** A PDF from raw object bodies, with a correct cross-reference table (unless the case breaks it on purpose). */
export function rawPdf(objects: string[], options: { xrefShift?: number; rootRef?: number } = {}): Buffer {
  let out = '%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n';
  const offsets: number[] = [];
  objects.forEach((body, index) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${index + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset + (options.xrefShift ?? 0)).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root ${options.rootRef ?? 1} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

const PAGE_CONTENT = 'BT /F1 12 Tf 20 100 Td (Hostile but readable text for the fuzzer.) Tj ET';

/** Hand-made hostile PDFs; `n` sets the depth, count or length being abused. */
export function hostilePdf(kind: string, n: number): Buffer {
  const depth = Math.min(Math.abs(n), 200_000);
  const font = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';
  const page = (extra = '') => `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> ${extra} >>`;
  const stream = (body: string, dict = '') => `<< /Length ${Buffer.byteLength(body, 'latin1')} ${dict} >>\nstream\n${body}\nendstream`;
  switch (kind) {
    case 'nested-arrays':
      return rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', page(`/Junk ${'['.repeat(depth)}1${']'.repeat(depth)}`), stream(PAGE_CONTENT), font]);
    case 'nested-dicts':
      return rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', page(`/Junk ${'<< /A '.repeat(depth)}1${' >>'.repeat(depth)}`), stream(PAGE_CONTENT), font]);
    case 'count':
      return rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Kids [3 0 R] /Count ${n} >>`, page(), stream(PAGE_CONTENT), font]);
    case 'kids-loop':
      // The page tree refers back to itself (and the page claims the tree as a kid).
      return rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Kids [2 0 R 3 0 R 2 0 R] /Count ${n} >>`, `<< /Type /Pages /Parent 2 0 R /Kids [3 0 R 2 0 R] /Count 2 >>`, stream(PAGE_CONTENT), font]);
    case 'length':
      return rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', page(), `<< /Length ${n} >>\nstream\n${PAGE_CONTENT}\nendstream`, font]);
    case 'xref':
      return rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', page(), stream(PAGE_CONTENT), font], { xrefShift: n % 100_000, rootRef: n % 7 });
    case 'many-pages': {
      const count = Math.min(depth, 5000);
      const kids = Array.from({ length: count }, () => '3 0 R').join(' ');
      return rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Kids [${kids}] /Count ${count} >>`, page(), stream(PAGE_CONTENT), font]);
    }
    case 'stream-filters': {
      // A content stream with a long chain of filters, and a FlateDecode "bomb" claiming to be the page.
      const filters = Array.from({ length: Math.min(depth, 10_000) }, () => '/ASCIIHexDecode').join(' ');
      return rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', page(), stream('48656c6c6f>', `/Filter [${filters}]`), font]);
    }
    case 'bits-per-component': {
      // An image claiming absurd bits per component: pdf.js reads such an image bit by bit (days for 2^31).
      const image = `<< /Type /XObject /Subtype /Image /Width 16 /Height 16 /ColorSpace /DeviceRGB /BitsPerComponent ${n} /Length 768 >>\nstream\n${'\u0080'.repeat(768)}\nendstream`;
      return rawPdf([
        '<< /Type /Catalog /Pages 2 0 R >>',
        '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >> >> >>',
        stream(`q 100 0 0 100 10 10 cm /Im1 Do Q ${PAGE_CONTENT}`),
        font,
        image,
      ]);
    }
    case 'inline-image':
      return rawPdf([
        '<< /Type /Catalog /Pages 2 0 R >>',
        '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        page(),
        stream(`q 100 0 0 100 10 10 cm BI /W 4 /H 4 /CS /G /BPC ${n} ID ${'\u0080'.repeat(16)} EI Q ${PAGE_CONTENT}`),
        font,
      ]);
    default: {
      const size = n === 0 ? 0 : Math.abs(n) > 1e6 ? 1e30 : Math.abs(n);
      return rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${size} ${size}] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>`, stream(PAGE_CONTENT), font]);
    }
  }
}

