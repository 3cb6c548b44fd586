// What people read: the notices of the workflow, as e-mail text and as AWS Chatbot (Amazon Q Developer in chat
// applications) custom notifications (schema: version "1.0", source "custom", content, metadata). Pure code.

/** Who a notice is for; e-mail subscriptions filter on it, chat channels subscribe to the audience's topic. */
export type NoticeAudience = 'requester' | 'approvers' | 'operators';

/** One notice: a title, a sentence, and the commands that act on it. */
export interface Notice {
  readonly title: string;
  readonly text: string;
  readonly nextSteps?: string[];
}

/** The fields of a request a notice tells: who, what, where, how long, why. */
export interface NoticeRequest {
  readonly requestId: string;
  readonly requesterName: string;
  readonly accountId: string;
  readonly permissionSetArn: string;
  readonly durationSeconds: number;
  readonly justification?: string;
  readonly ticketId?: string;
  readonly endAt?: string;
  readonly permissionSetName?: string;
}

export function humanDuration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds >= 3600) return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
  return `${Math.round(seconds / 60)} min`;
}

function facts(r: NoticeRequest): Array<[string, string]> {
  return [
    ['Request', r.requestId],
    ['Who', r.requesterName],
    ['What', r.permissionSetName ?? r.permissionSetArn],
    ['Where', r.accountId],
    ['How long', humanDuration(r.durationSeconds)],
    ['Why', r.justification ?? '-'],
    ...(r.ticketId ? [['Ticket', r.ticketId] as [string, string]] : []),
    ...(r.endAt ? [['Ends', r.endAt] as [string, string]] : []),
  ];
}

/** The CLI lines an approver needs. */
export function approverSteps(requestId: string): string[] {
  return [`lz-access approve ${requestId}`, `lz-access reject ${requestId} --reason "..."`];
}

/** Plain text for e-mail. */
export function emailNotice(r: NoticeRequest, n: Notice): string {
  const lines = [n.text, '', ...facts(r).map(([k, v]) => `${k}: ${v}`)];
  if (n.nextSteps && n.nextSteps.length > 0) lines.push('', ...n.nextSteps.map((s) => `  ${s}`));
  return lines.join('\n');
}

/** An AWS Chatbot custom notification; threads group the notices of one request. */
export function chatNotice(audience: NoticeAudience, r: NoticeRequest, n: Notice): Record<string, unknown> {
  return {
    version: '1.0',
    source: 'custom',
    id: `${r.requestId}:${n.title}`.slice(0, 256),
    content: {
      textType: 'client-markdown',
      title: n.title,
      description: [n.text, ...facts(r).map(([k, v]) => `*${k}:* ${v}`)].join('\n'),
      ...(n.nextSteps && n.nextSteps.length > 0 ? { nextSteps: n.nextSteps.map((s) => `\`${s}\``) } : {}),
      keywords: ['elevated-access', audience, r.accountId],
    },
    metadata: {
      threadId: r.requestId,
      summary: n.title,
      eventType: `elevated-access-${audience}`,
      additionalContext: { requestId: r.requestId, accountId: r.accountId },
    },
  };
}
