import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { WorkflowScope } from './workflow-scope';

/** Data-plane writes to a DynamoDB table. */
const TABLE_WRITES = [
  'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem',
  'dynamodb:PartiQLInsert', 'dynamodb:PartiQLUpdate', 'dynamodb:PartiQLDelete',
];

/** The workflow's three tables. */
export interface WorkflowTables {
  /** Requests, and the compiled configuration item. */
  readonly requests: dynamodb.TableV2;
  /** Grant records: who owns each assignment and which grants hold it. */
  readonly grants: dynamodb.TableV2;
  /** The append-only audit trail. */
  readonly audit: dynamodb.TableV2;
}

/**
 * The requests, grants and audit tables, each with a resource policy that lets only its writer roles write (the chat
 * approvals handler writes requests when `chat`); the audit table is append-only for everyone.
 */
export function createTables(ws: WorkflowScope, chat: boolean): WorkflowTables {
  const key = (name: string) => ({ name, type: dynamodb.AttributeType.STRING });
  const requests = table(ws, 'Requests', ['api', 'step', 'reconciler', 'config', ...(chat ? ['chat'] : [])], {
    partitionKey: key('requestId'),
    globalSecondaryIndexes: [
      { indexName: 'byRequester', partitionKey: key('requesterId'), sortKey: key('createdAt') },
      { indexName: 'byStatus', partitionKey: key('status'), sortKey: key('createdAt') },
    ],
  });
  const grants = table(ws, 'Grants', ['step', 'reconciler'], { partitionKey: key('grantKey') });
  const audit = table(ws, 'Audit', ['audit'], { partitionKey: key('requestId'), sortKey: key('eventKey') }, true);
  return { requests, grants, audit };
}

/** The requests table and its two indexes, by name. */
export function requestsArns(requests: dynamodb.TableV2): string[] {
  return [requests.tableArn, ...['byRequester', 'byStatus'].map((i) => `${requests.tableArn}/index/${i}`)];
}

/** A table whose resource policy denies data writes by every principal but its writer roles. */
function table(ws: WorkflowScope, id: string, writers: string[],
  props: Pick<dynamodb.TablePropsV2, 'partitionKey' | 'sortKey' | 'globalSecondaryIndexes'>, appendOnly = false): dynamodb.TableV2 {
  const writerArns = writers.flatMap((w) => ws.roleArns(w));
  const statements = [new iam.PolicyStatement({
    sid: 'OnlyTheWorkflowWrites',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: appendOnly ? ['dynamodb:PutItem', 'dynamodb:PartiQLInsert'] : TABLE_WRITES,
    resources: ['*'],
    conditions: { ArnNotLike: { 'aws:PrincipalArn': writerArns } },
  })];
  if (appendOnly) {
    statements.push(new iam.PolicyStatement({
      sid: 'AppendOnly',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: TABLE_WRITES.filter((a) => a !== 'dynamodb:PutItem' && a !== 'dynamodb:PartiQLInsert'),
      resources: ['*'],
    }));
  }
  return new dynamodb.TableV2(ws.scope, id, {
    ...props,
    tableName: ws.roleName(id.toLowerCase()),
    billing: dynamodb.Billing.onDemand(),
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: ws.removal === RemovalPolicy.RETAIN,
    removalPolicy: ws.removal,
    resourcePolicy: new iam.PolicyDocument({ statements }),
  });
}
