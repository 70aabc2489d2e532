const hex = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * A W3C `traceparent` for one API call: a new trace id and span id (the browser's side of the
 * call), flags `01`. The API continues it when its tracing is on, so the trace id the browser
 * made is the one every span of that request, its job and its queries carry. The flag asks
 * for sampling; the API's ratio sampler still decides (a client cannot force tracing).
 */
export function newTraceparent(
  random: (a: Uint8Array) => Uint8Array = (a) => globalThis.crypto.getRandomValues(a),
): string {
  let traceId = '';
  let spanId = '';
  // All-zero ids are invalid; the odds are 2^-128 and 2^-64, but the loop makes it certain.
  while (/^0*$/.test(traceId)) traceId = hex(random(new Uint8Array(16)));
  while (/^0*$/.test(spanId)) spanId = hex(random(new Uint8Array(8)));
  return `00-${traceId}-${spanId}-01`;
}
