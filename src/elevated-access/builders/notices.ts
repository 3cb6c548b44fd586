import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import { NoticeAudience, NoticeChannel, NoticeEmail } from '../notice-channel';
import { WorkflowScope } from './workflow-scope';

/** The workflow's own notification topic (when none is given), encrypted with the workflow's key. */
export function createNotificationTopic(ws: WorkflowScope): sns.Topic {
  const key = ws.key();
  return new sns.Topic(ws.scope, 'Notifications', {
    topicName: ws.roleName('notices'), masterKey: key, enforceSSL: true, displayName: 'Elevated access notices',
  });
}

/**
 * E-mail subscriptions filtered by audience (and requester); chat channels on one topic per audience they follow,
 * which every handler that notifies (`publishers`) may publish to and is told of.
 */
export function createNotices(ws: WorkflowScope, topic: sns.ITopic, emails: NoticeEmail[], channels: NoticeChannel[],
  publishers: lambda.Function[]): void {
  for (const e of emails) {
    topic.addSubscription(new subs.EmailSubscription(e.address, {
      filterPolicy: {
        audience: sns.SubscriptionFilter.stringFilter({ allowlist: [e.audience] }),
        ...(e.requesterName ? { requester: sns.SubscriptionFilter.stringFilter({ allowlist: [e.requesterName] }) } : {}),
      },
    }));
  }
  if (channels.length === 0) return;
  const key = ws.key();
  const chatTopics = new Map<NoticeAudience, sns.Topic>();
  for (const audience of new Set(channels.flatMap((c) => c.audiences))) {
    const chatTopic = new sns.Topic(ws.scope, `Chat${audience.charAt(0).toUpperCase()}${audience.slice(1)}`, {
      topicName: ws.roleName(`chat-${audience}`), masterKey: key, enforceSSL: true, displayName: `Elevated access chat notices (${audience})`,
    });
    chatTopics.set(audience, chatTopic);
    for (const fn of publishers) {
      chatTopic.grantPublish(fn);
      fn.addEnvironment(`CHAT_TOPIC_${audience.toUpperCase()}`, chatTopic.topicArn);
    }
  }
  const role = ws.role('chatbot', 'chatbot.amazonaws.com', 'elevated access: chat channels (notices only, no permissions)');
  for (const [i, c] of channels.entries()) c._bind(ws.scope, `ChatChannel${i}`, c.audiences.map((a) => chatTopics.get(a)!), role);
}
