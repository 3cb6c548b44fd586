import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { AccessStateMachineOptions, buildAccessDefinition } from '../access-state-machine';
import { WorkflowScope } from './workflow-scope';

/** How often the state machine polls and retries (props of the workflow). */
export interface StateMachineTiming {
  /** @default Duration.seconds(5) */
  readonly pollInterval?: Duration;
  /** @default Duration.minutes(15) */
  readonly revokeRetryInterval?: Duration;
}

/** The per-request state machine (fixed name), its Lambda tasks run by the step handler; traced and logged. */
export function createStateMachine(ws: WorkflowScope, stepHandler: lambda.IFunction, timing: StateMachineTiming,
  jump?: AccessStateMachineOptions['jump']): sfn.StateMachine {
  const poll = timing.pollInterval ?? Duration.seconds(5);
  return new sfn.StateMachine(ws.scope, 'StateMachine', {
    stateMachineName: ws.stateMachineName,
    stateMachineType: sfn.StateMachineType.STANDARD,
    role: ws.role('states', 'states.amazonaws.com', 'elevated access: the per-request state machine (grant and revoke)'),
    definitionBody: sfn.DefinitionBody.fromChainable(buildAccessDefinition(ws.scope, {
      stepFunction: stepHandler,
      assignmentResources: ws.assignmentResources(),
      instanceResources: [ws.compiled.instanceArn],
      pollInterval: poll,
      revokeRetryInterval: timing.revokeRetryInterval ?? Duration.minutes(15),
      jump,
      identityCenter: ws.identityCenter,
    })),
    tracingEnabled: true,
    logs: {
      // the prefix Step Functions recommends, so that logging does not grow the account's log resource policy
      destination: ws.logGroup('StateMachineLogs', `/aws/vendedlogs/states/${ws.stateMachineName}`),
      // every transition, without the execution data (requests carry justifications)
      level: sfn.LogLevel.ALL,
      includeExecutionData: false,
    },
  });
}

/** The reconciler: hourly by default, and at once when an execution fails, times out or is stopped. */
export function scheduleReconciler(ws: WorkflowScope, reconciler: lambda.IFunction, stateMachine: sfn.IStateMachine, interval?: Duration): void {
  new events.Rule(ws.scope, 'ReconcileSchedule', {
    ruleName: ws.roleName('reconcile'),
    schedule: events.Schedule.rate(interval ?? Duration.hours(1)),
    targets: [new targets.LambdaFunction(reconciler, { retryAttempts: 2 })],
  });
  new events.Rule(ws.scope, 'ExecutionEnded', {
    ruleName: ws.roleName('execution-ended'),
    description: 'an elevated-access execution ended abnormally: reconcile now',
    eventPattern: {
      source: ['aws.states'],
      detailType: ['Step Functions Execution Status Change'],
      detail: { stateMachineArn: [stateMachine.stateMachineArn], status: ['FAILED', 'TIMED_OUT', 'ABORTED'] },
    },
    targets: [new targets.LambdaFunction(reconciler, { retryAttempts: 2 })],
  });
}
