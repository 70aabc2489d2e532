import { describe, expect, it } from '@jest/globals';
import { makePdf, makePng } from '@saas/shared/test-support';
import { classifyUpload } from './classify-upload.ts';

const allowedTypes = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf'];
const png = makePng(4, 4);

describe('classifyUpload', () => {
  it('accepts bytes that match an allowed, declared type', async () => {
    const verdict = await classifyUpload({
      head: png,
      size: png.length,
      declaredType: 'image/png',
      declaredSize: png.length,
      allowedTypes,
    });
    expect(verdict).toEqual({ status: 'ready', detectedType: 'image/png' });
  });

  it('rejects bytes that lie about their type, naming both types', async () => {
    const pdf = makePdf();
    const verdict = await classifyUpload({
      head: pdf,
      size: pdf.length,
      declaredType: 'image/png',
      declaredSize: pdf.length,
      allowedTypes,
    });
    expect(verdict).toEqual({
      status: 'rejected',
      detectedType: 'application/pdf',
      reason: 'The file was declared as image/png but its contents are application/pdf.',
    });
  });

  it('rejects an unrecognisable format, a type off the allow-list, a size mismatch and an empty file', async () => {
    const text = Buffer.from('just some text, no magic bytes at all');
    const unknown = await classifyUpload({
      head: text,
      size: text.length,
      declaredType: 'image/png',
      declaredSize: null,
      allowedTypes,
    });
    expect(unknown).toMatchObject({ status: 'rejected', detectedType: null });
    const onlyPdf = await classifyUpload({
      head: png,
      size: png.length,
      declaredType: 'image/png',
      declaredSize: null,
      allowedTypes: ['application/pdf'],
    });
    expect(onlyPdf).toMatchObject({
      status: 'rejected',
      reason: expect.stringContaining('not an allowed type'),
    });
    const tooBig = await classifyUpload({
      head: png,
      size: png.length,
      declaredType: 'image/png',
      declaredSize: 3,
      allowedTypes,
    });
    expect(tooBig).toMatchObject({
      status: 'rejected',
      reason: `The file is ${png.length} bytes but 3 bytes were declared.`,
    });
    const empty = await classifyUpload({
      head: Buffer.alloc(0),
      size: 0,
      declaredType: 'image/png',
      declaredSize: 0,
      allowedTypes,
    });
    expect(empty).toMatchObject({ status: 'rejected', reason: 'The file is empty.' });
  });

  it('treats the image/jpg alias and parameters like the canonical type', async () => {
    const verdict = await classifyUpload({
      head: png,
      size: png.length,
      declaredType: 'IMAGE/PNG; charset=binary',
      declaredSize: null,
      allowedTypes,
    });
    expect(verdict.status).toBe('ready');
  });
});
