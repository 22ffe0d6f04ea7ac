import { describe, expect, it } from 'vitest';
import { decodeDicomText, formatPersonName } from '../../../electron/core/imaging';

const ESC = 0x1b;
const bytes = (...parts: Array<string | number[]>): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));

describe('decodeDicomText (Specific Character Set)', () => {
  // Examples from DICOM PS3.5 Annexes H (Japanese), I (Korean), J/K (Chinese) and C.12 tables.
  const cases: Array<[string, string, Uint8Array, string]> = [
    ['default repertoire', '', bytes('DOE^JOHN'), 'DOE^JOHN'],
    ['ISO_IR 100 (Latin-1)', 'ISO_IR 100', bytes('Buc^J', [0xe9], 'r', [0xf4], 'me'), 'Buc^Jérôme'],
    ['ISO_IR 101 (Latin-2)', 'ISO_IR 101', bytes([0xa3, 0xf3, 0x64, 0xbc]), 'Łódź'],
    ['ISO_IR 109 (Latin-3)', 'ISO_IR 109', bytes([0xa6, 0x61]), 'Ĥa'],
    ['ISO_IR 110 (Latin-4)', 'ISO_IR 110', bytes([0xa2]), 'ĸ'],
    ['ISO_IR 144 (Cyrillic)', 'ISO_IR 144', bytes([0xb8, 0xd2, 0xd0, 0xdd, 0xde, 0xd2]), 'Иванов'],
    ['ISO_IR 127 (Arabic)', 'ISO_IR 127', bytes([0xe2, 0xc8, 0xc7, 0xe6, 0xea], '^', [0xe4, 0xe6, 0xd2, 0xc7, 0xd1]), 'قباني^لنزار'],
    ['ISO_IR 126 (Greek)', 'ISO_IR 126', bytes([0xc4, 0xe9, 0xef, 0xed, 0xf5, 0xf3, 0xe9, 0xef, 0xf2]), 'Διονυσιος'],
    ['ISO_IR 138 (Hebrew)', 'ISO_IR 138', bytes([0xf9, 0xf8, 0xe5, 0xef], '^', [0xe3, 0xe1, 0xe5, 0xf8, 0xe4]), 'שרון^דבורה'],
    ['ISO_IR 148 (Latin-5)', 'ISO_IR 148', bytes('G', [0xfc], 'rsoy'), 'Gürsoy'],
    ['ISO_IR 13 (JIS X 0201 katakana)', 'ISO_IR 13', bytes([0xd4, 0xcf, 0xc0, 0xde]), 'ﾔﾏﾀﾞ'],
    ['ISO_IR 166 (Thai)', 'ISO_IR 166', bytes([0xc1, 0xd2]), 'มา'],
    ['ISO_IR 192 (UTF-8)', 'ISO_IR 192', Uint8Array.from(Buffer.from('Wang^XiaoDong=王^小東=', 'utf8')), 'Wang^XiaoDong=王^小東='],
    ['GB18030', 'GB18030', bytes('Wang^XiaoDong=', [0xcd, 0xf5], '^', [0xd0, 0xa1, 0xb6, 0xab], '='), 'Wang^XiaoDong=王^小东='],
    [
      'ISO 2022 IR 87 (PS3.5 H.3.1)',
      '\\ISO 2022 IR 87',
      bytes(
        'Yamada^Tarou=',
        [ESC, 0x24, 0x42, 0x3b, 0x33, 0x45, 0x44, ESC, 0x28, 0x42],
        '^',
        [ESC, 0x24, 0x42, 0x42, 0x40, 0x4f, 0x3a, ESC, 0x28, 0x42],
        '=',
        [ESC, 0x24, 0x42, 0x24, 0x64, 0x24, 0x5e, 0x24, 0x40, ESC, 0x28, 0x42],
        '^',
        [ESC, 0x24, 0x42, 0x24, 0x3f, 0x24, 0x6d, 0x24, 0x26, ESC, 0x28, 0x42],
      ),
      'Yamada^Tarou=山田^太郎=やまだ^たろう',
    ],
    [
      'ISO 2022 IR 13 + IR 87 (PS3.5 H.3.2)',
      'ISO 2022 IR 13\\ISO 2022 IR 87',
      bytes(
        [0xd4, 0xcf, 0xc0, 0xde, 0x5e, 0xc0, 0xdb, 0xb3, 0x3d],
        [ESC, 0x24, 0x42, 0x3b, 0x33, 0x45, 0x44, ESC, 0x28, 0x4a, 0x5e],
        [ESC, 0x24, 0x42, 0x42, 0x40, 0x4f, 0x3a, ESC, 0x28, 0x4a, 0x3d],
        [ESC, 0x24, 0x42, 0x24, 0x64, 0x24, 0x5e, 0x24, 0x40, ESC, 0x28, 0x4a, 0x5e],
        [ESC, 0x24, 0x42, 0x24, 0x3f, 0x24, 0x6d, 0x24, 0x26, ESC, 0x28, 0x4a],
      ),
      'ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう',
    ],
    [
      'ISO 2022 IR 149 (Korean, PS3.5 I.2)',
      '\\ISO 2022 IR 149',
      bytes(
        'Hong^Gildong=',
        [ESC, 0x24, 0x29, 0x43, 0xfb, 0xf3],
        '^',
        [ESC, 0x24, 0x29, 0x43, 0xd1, 0xce, 0xd4, 0xd7],
        '=',
        [ESC, 0x24, 0x29, 0x43, 0xc8, 0xab],
        '^',
        [ESC, 0x24, 0x29, 0x43, 0xb1, 0xe6, 0xb5, 0xbf],
      ),
      'Hong^Gildong=洪^吉洞=홍^길동',
    ],
    [
      'ISO 2022 IR 58 (GB 2312, PS3.5 K.2)',
      '\\ISO 2022 IR 58',
      bytes('Zhang^XiaoDong=', [ESC, 0x24, 0x29, 0x41, 0xd5, 0xc5], '^', [ESC, 0x24, 0x29, 0x41, 0xd0, 0xa1, 0xb6, 0xab], '='),
      'Zhang^XiaoDong=张^小东=',
    ],
    ['ISO 2022 IR 100 with G1 switch', 'ISO 2022 IR 100', bytes('M', [0xfc], 'ller'), 'Müller'],
  ];

  it.each(cases)('%s', (_label, charset, value, expected) => {
    const decoded = decodeDicomText(value, charset, 'person-name');
    expect(decoded.text).toBe(expected);
    expect(decoded.exact).toBe(true);
  });

  it('accepts common misspellings of the defined terms', () => {
    expect(decodeDicomText(bytes('M', [0xfc], 'ller'), 'ISO-IR 100').text).toBe('Müller');
    expect(decodeDicomText(Uint8Array.from(Buffer.from('Zoë', 'utf8')), 'utf-8').text).toBe('Zoë');
  });

  it('is best effort, and says so, for undeclared or unknown character sets', () => {
    const utf8 = decodeDicomText(Uint8Array.from(Buffer.from('Müller', 'utf8')), undefined);
    expect(utf8).toEqual({ text: 'Müller', exact: false });
    const latin1 = decodeDicomText(bytes('M', [0xfc], 'ller'), '');
    expect(latin1).toEqual({ text: 'Müller', exact: false });
    const unknown = decodeDicomText(bytes('abc'), 'ISO_IR 999');
    expect(unknown.exact).toBe(false);
    expect(unknown.text).toBe('abc');
    const broken = decodeDicomText(bytes([0xff, 0xfe]), 'ISO_IR 192');
    expect(broken.exact).toBe(false);
  });

  it('keeps backslashes in single-valued text (ST, LT, UT)', () => {
    expect(decodeDicomText(bytes('C:\\path'), 'ISO 2022 IR 100', 'text').text).toBe('C:\\path');
  });

  it('formats person names in reading order', () => {
    expect(formatPersonName('DOE^JOHN^Q^DR^JR')).toBe('DR JOHN Q DOE JR');
    expect(formatPersonName('Yamada^Tarou=山田^太郎')).toBe('Tarou Yamada');
    expect(formatPersonName('=山田^太郎')).toBe('太郎 山田');
    expect(formatPersonName('Anonymous')).toBe('Anonymous');
    expect(formatPersonName('')).toBe('');
  });
});
