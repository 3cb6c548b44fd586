import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { METRIC_NAMESPACE, WorkflowScope } from './workflow-scope';

/**
 * An alarm on the first occurrence (5-minute sums) of what needs an operator: a grant not confirmed, a revoke that
 * keeps failing, an orphaned assignment removed, an execution failed or stopped. Each notifies `topic`.
 */
export function createAlarms(ws: WorkflowScope, topic: sns.ITopic, stateMachine: sfn.StateMachine): cloudwatch.Alarm[] {
  const alarm = (aid: string, metric: cloudwatch.IMetric, description: string) => {
    const a = new cloudwatch.Alarm(ws.scope, aid, {
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    a.addAlarmAction(new cwActions.SnsAction(topic));
    return a;
  };
  const metric = (name: string) => new cloudwatch.Metric({ namespace: METRIC_NAMESPACE, metricName: name, statistic: 'Sum', period: Duration.minutes(5) });
  return [
    alarm('GrantFailedAlarm', metric('GrantFailures'), 'an elevated-access grant was not confirmed by Identity Center'),
    alarm('RevokeFailedAlarm', metric('RevokeFailures'), 'an elevated-access revoke keeps failing; the workflow retries and the reconciler sweeps'),
    alarm('OrphanRemovedAlarm', metric('OrphanedAssignmentsRemoved'), 'the reconciler removed an assignment no live grant needed'),
    alarm('ExecutionsFailedAlarm', stateMachine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' }), 'an elevated-access execution failed'),
    alarm('ExecutionsAbortedAlarm', stateMachine.metricAborted({ period: Duration.minutes(5), statistic: 'Sum' }), 'an elevated-access execution was stopped; the reconciler revokes what it left'),
  ];
}
