// Download names come from users (the uploaded filename). They end up in a response header the
// browser acts on, so they are reduced to a plain base name before use.

const MAX_NAME_LENGTH = 150;

/** A base name without paths, quotes, control or reserved characters; 'download' if nothing is left. */
export function safeFilename(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex -- control characters (CR/LF…) become spaces
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    .replace(/["*:<>?|;,%]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  const chars = Array.from(cleaned);
  const short = chars.length > MAX_NAME_LENGTH ? chars.slice(-MAX_NAME_LENGTH).join('') : cleaned;
  return short || 'download';
}

/** RFC 5987 value encoding (percent-encodes what encodeURIComponent leaves in place but 5987 forbids). */
const encodeRfc5987 = (value: string): string =>
  encodeURIComponent(value).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

/** `attachment; filename="<ascii>"; filename*=UTF-8''<utf8>` (RFC 6266) for a safe name. */
export function attachmentDisposition(filename: string): string {
  const safe = safeFilename(filename);
  const ascii = safe.replace(/[^\x20-\x7e]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeRfc5987(safe)}`;
}
