// The Slack messages of the workflow (Block Kit): who, what, where, how long, why, ticket, the status, and the
// buttons that still make sense. Pure code.
import { ACTION_PREFIX } from './chat-decisions';
import { humanDuration } from './notices';

export interface ChatRequestView {
  readonly requestId: string;
  readonly status: string;
  readonly requesterName: string;
  readonly accountId: string;
  readonly permissionSetName: string;
  readonly durationSeconds: number;
  readonly requiredApprovals: number;
  readonly approvals?: Iterable<string>;
  readonly justification?: string;
  readonly ticketId?: string;
  readonly endAt?: string;
  readonly breakGlass?: boolean;
}

/** One line of text for notifications and clients without blocks. */
export function summary(r: ChatRequestView): string {
  const head = r.breakGlass ? ':rotating_light: BREAK-GLASS: ' : '';
  return `${head}${r.requesterName} asks for ${r.permissionSetName} on ${r.accountId} for ${humanDuration(r.durationSeconds)}: ${r.status}`;
}

function button(text: string, action: string, requestId: string, style?: 'primary' | 'danger'): Record<string, unknown> {
  return { type: 'button', text: { type: 'plain_text', text }, action_id: `${ACTION_PREFIX}${action}`, value: requestId, ...(style ? { style } : {}) };
}

/** The blocks of a request message; `outcome` is the last thing that happened (who approved, refused, ...). */
export function requestBlocks(r: ChatRequestView, outcome?: string): Record<string, unknown>[] {
  const approvals = [...(r.approvals ?? [])].length;
  const fields = [
    ['Who', r.requesterName], ['What', r.permissionSetName], ['Where', r.accountId], ['How long', humanDuration(r.durationSeconds)],
    ['Why', r.justification ?? '-'], ['Ticket', r.ticketId ?? '-'],
    ['Status', r.status === 'PENDING_APPROVAL' ? `waiting for approval (${approvals} of ${r.requiredApprovals})` : r.status],
    ...(r.endAt ? [['Ends', r.endAt]] : []),
  ];
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: r.breakGlass ? 'BREAK-GLASS elevated access' : 'Elevated access request' } },
    { type: 'section', fields: fields.map(([k, v]) => ({ type: 'mrkdwn', text: `*${k}:* ${v}` })) },
  ];
  if (outcome) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: outcome }] });
  if (r.status === 'PENDING_APPROVAL') {
    blocks.push({ type: 'actions', elements: [button('Approve', 'approve', r.requestId, 'primary'), button('Reject', 'reject', r.requestId, 'danger')] });
  } else if (r.status === 'ACTIVE') {
    blocks.push({ type: 'actions', elements: [button("I'm done", 'revoke', r.requestId)] });
  }
  return blocks;
}
