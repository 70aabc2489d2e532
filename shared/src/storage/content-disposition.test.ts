import { describe, expect, test } from '@jest/globals';
import { attachmentDisposition, safeFilename } from './content-disposition.ts';

describe('safeFilename', () => {
  test.each([
    ['report.pdf', 'report.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\me\\cv.docx', 'cv.docx'],
    ['a "quoted"\r\nname.png', 'a _quoted_ name.png'],
    ['semi;colon,comma%.txt', 'semi_colon_comma_.txt'],
    ['.hidden', 'hidden'],
    ['   ', 'download'],
    ['dir/', 'download'],
    ['Q1 report ä.pdf', 'Q1 report ä.pdf'],
  ])('%j → %j', (input, expected) => {
    expect(safeFilename(input)).toBe(expected);
  });

  test('long names keep their end (the extension) within 150 characters', () => {
    const name = safeFilename(`${'x'.repeat(400)}.pdf`);
    expect(Array.from(name)).toHaveLength(150);
    expect(name.endsWith('.pdf')).toBe(true);
  });
});

describe('attachmentDisposition', () => {
  test('an ASCII fallback and the exact UTF-8 name (RFC 6266 / 5987)', () => {
    expect(attachmentDisposition("l'été (1)*.pdf")).toBe(
      `attachment; filename="l'_t_ (1)_.pdf"; filename*=UTF-8''l%27%C3%A9t%C3%A9%20%281%29_.pdf`,
    );
  });

  test('nothing from the name can end the header or add a parameter', () => {
    const header = attachmentDisposition('x"; filename="evil.exe\r\nSet-Cookie: a=b');
    expect(header).not.toMatch(/[\r\n]/);
    expect(header.match(/"/g)).toHaveLength(2);
    expect(header.split(';')).toHaveLength(3);
  });
});
