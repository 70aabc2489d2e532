import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * PUTs a file to a signed URL, streamed with an explicit Content-Length (S3 signs it and
 * refuses chunked uploads to presigned URLs; fetch() would send a stream chunked). Errors
 * never include the URL: its query string is a credential.
 */
export async function putFile(
  url: string,
  headers: Record<string, string>,
  file: string,
): Promise<void> {
  const { size } = await stat(file);
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  await new Promise<void>((resolve, reject) => {
    const req = request(
      url,
      { method: 'PUT', headers: { ...headers, 'Content-Length': String(size) }, timeout: 60_000 },
      (res) => {
        res.resume();
        res.once('end', () => {
          const code = res.statusCode ?? 0;
          if (code >= 200 && code < 300) resolve();
          else reject(new Error(`the object store answered HTTP ${code} to the upload`));
        });
      },
    );
    req.once('timeout', () =>
      req.destroy(new Error('the upload timed out (no progress for 60 s)')),
    );
    req.once('error', (err) => reject(new Error(`upload failed: ${err.message.split('?')[0]}`)));
    createReadStream(file)
      .once('error', (err) => req.destroy(err))
      .pipe(req);
  });
}
