import { fileTypeFromBuffer } from 'file-type';

export type UploadVerdict =
  | { status: 'ready'; detectedType: string }
  | { status: 'rejected'; detectedType: string | null; reason: string };

export interface ClassifyInput {
  /** The first bytes of the object (inspect-stream's head). */
  head: Uint8Array;
  size: number;
  /** What the client said it would upload (uploads.content_type). */
  declaredType: string | null;
  /** What the client said it would upload (uploads.size_bytes). */
  declaredSize: number | null;
  allowedTypes: readonly string[];
}

// Some clients send the non-standard alias; the bytes say image/jpeg either way.
const ALIASES: Readonly<Record<string, string>> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
};

const normalize = (type: string): string => {
  const bare = (type.split(';', 1)[0] ?? '').trim().toLowerCase();
  return ALIASES[bare] ?? bare;
};

/**
 * Decides from the bytes, never from the name or the declared type alone. The reasons are
 * shown to the uploader: plain sentences that name types and sizes, nothing internal.
 */
export async function classifyUpload(input: ClassifyInput): Promise<UploadVerdict> {
  const sniffed = input.head.length > 0 ? await fileTypeFromBuffer(input.head) : undefined;
  const detectedType = sniffed ? normalize(sniffed.mime) : null;
  const reject = (reason: string): UploadVerdict => ({ status: 'rejected', detectedType, reason });

  if (input.size === 0) return reject('The file is empty.');
  if (input.declaredSize !== null && input.size !== input.declaredSize) {
    return reject(`The file is ${input.size} bytes but ${input.declaredSize} bytes were declared.`);
  }
  if (detectedType === null) {
    return reject(
      'The file’s contents are not a recognised format (its type could not be detected).',
    );
  }
  if (!input.allowedTypes.includes(detectedType)) {
    return reject(`The file’s contents are ${detectedType}, which is not an allowed type.`);
  }
  const declared = input.declaredType === null ? null : normalize(input.declaredType);
  if (declared !== null && declared !== detectedType) {
    return reject(`The file was declared as ${declared} but its contents are ${detectedType}.`);
  }
  return { status: 'ready', detectedType };
}
