// The one writer of the audit trail: appends a record (the put refuses to overwrite one) and archives it to the
// Object Lock bucket, so a deleted or altered table still leaves the trail. The other handlers invoke it; the audit
// table's resource policy lets no other principal write.
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { AuditRecord, ddb, env, logger } from './store';

const s3 = new S3Client({});

export interface AuditWriteEvent {
  readonly record: AuditRecord;
}

export async function handler(event: AuditWriteEvent): Promise<{ written: boolean }> {
  const r = event.record;
  if (!r || typeof r.requestId !== 'string' || typeof r.eventKey !== 'string' || typeof r.transition !== 'string') {
    throw new Error('an audit record needs requestId, eventKey and transition');
  }
  let written = true;
  let archived: Record<string, unknown> = r;
  try {
    await ddb.send(new PutCommand({
      TableName: env('AUDIT_TABLE'),
      Item: r,
      ConditionExpression: 'attribute_not_exists(requestId)',
    }));
  } catch (e) {
    if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
    // a retried step: the record exists; archive the stored record again (never the new one) in case the first
    // archive failed
    written = false;
    const stored = await ddb.send(new GetCommand({ TableName: env('AUDIT_TABLE'), Key: { requestId: r.requestId, eventKey: r.eventKey }, ConsistentRead: true }));
    archived = stored.Item ?? r;
  }
  await s3.send(new PutObjectCommand({
    Bucket: env('AUDIT_ARCHIVE_BUCKET'),
    Key: `audit/${encodeURIComponent(r.requestId)}/${encodeURIComponent(r.eventKey)}.json`,
    Body: JSON.stringify(archived),
    ContentType: 'application/json',
    ChecksumAlgorithm: 'SHA256',
  }));
  logger.info('audit record', { requestId: r.requestId, eventKey: r.eventKey, written });
  return { written };
}
