import { CreateBucketCommand, DeleteBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { createS3Storage, type ObjectStorage } from '@saas/shared/storage';
import { testServices } from '@saas/shared/test-support';

export interface TestBucket {
  name: string;
  storage: ObjectStorage;
  /** Keys the test wrote; remove() deletes them, then the bucket. */
  keys: string[];
  remove(): Promise<void>;
}

/**
 * A bucket of its own on the local S3 server, for one test file (the shared server's `uploads`
 * and `backups` buckets are used by every helper at once). Removed again by remove().
 */
export async function createTestBucket(name: string): Promise<TestBucket> {
  const { bucket: _uploads, ...s3 } = testServices.s3;
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
  await client.send(new CreateBucketCommand({ Bucket: name }));
  const storage = createS3Storage({ ...s3, bucket: name });
  const keys: string[] = [];
  return {
    name,
    storage,
    keys,
    async remove() {
      for (const key of keys) await storage.delete(key);
      await storage.close();
      await client.send(new DeleteBucketCommand({ Bucket: name }));
      client.destroy();
    },
  };
}
