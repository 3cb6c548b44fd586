import { Duration, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { WorkflowScope, sessionQueryName } from './workflow-scope';
import { AuditWriterFunction } from '../handlers/audit-writer-function';

/**
 * The Object Lock archive of every audit record (compliance or governance mode): versioned, encrypted with the
 * workflow's key, written by the audit writer only.
 */
export function createAuditArchive(ws: WorkflowScope, auditRetention: Duration | undefined, compliance: boolean): s3.Bucket {
  const retention = auditRetention ?? Duration.days(365);
  const stack = Stack.of(ws.scope);
  const bucket = new s3.Bucket(ws.scope, 'AuditArchive', {
    bucketName: `${ws.roleName('audit')}-${stack.account}-${stack.region}`,
    objectLockEnabled: true,
    objectLockDefaultRetention: compliance
      ? s3.ObjectLockRetention.compliance(retention) : s3.ObjectLockRetention.governance(retention),
    versioned: true,
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: ws.key(),
    bucketKeyEnabled: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    removalPolicy: ws.removal,
  });
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'OnlyTheAuditWriterWrites',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:PutObject', 's3:PutObjectRetention', 's3:PutObjectLegalHold', 's3:PutObjectAcl'],
    resources: [bucket.arnForObjects('*')],
    conditions: { ArnNotLike: { 'aws:PrincipalArn': ws.roleArns('audit') } },
  }));
  return bucket;
}

/** The only writer of the audit trail: appends to the audit table and archives each record. */
export function createAuditWriter(ws: WorkflowScope, options: lambda.FunctionOptions, auditTable: dynamodb.TableV2,
  archive: s3.Bucket): lambda.Function {
  const fn = new AuditWriterFunction(ws.scope, 'AuditWriter', {
    ...options,
    environment: { AUDIT_TABLE: auditTable.tableName, AUDIT_ARCHIVE_BUCKET: archive.bucketName, POWERTOOLS_SERVICE_NAME: 'elevated-access' },
  });
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:PutItem', 'dynamodb:GetItem'], resources: [auditTable.tableArn] }));
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [archive.arnForObjects('audit/*')] }));
  ws.key().grant(fn, 'kms:GenerateDataKey');
  return fn;
}

/** One Logs Insights query definition per permission set over the organization trail, finding a grant's sessions. */
export function createSessionQueries(ws: WorkflowScope, trail: logs.ILogGroup | undefined): logs.QueryDefinition[] {
  if (!trail) return [];
  return ws.compiled.permissionSets.map((ps, i) => new logs.QueryDefinition(ws.scope, `SessionQuery${i}`, {
    queryDefinitionName: sessionQueryName(ws.scope, ps),
    logGroups: [trail],
    queryString: new logs.QueryString({
      fields: ['@timestamp', 'recipientAccountId', 'eventSource', 'eventName', 'userIdentity.arn', 'sourceIPAddress', 'errorCode'],
      filterStatements: [`userIdentity.sessionContext.sessionIssuer.userName like /^AWSReservedSSO_${ps.permissionSetName}_/`],
      sort: '@timestamp asc',
    }),
  }));
}
