// lz-access: request, approve and follow elevated access from the command line. Sign in with `aws sso login` to the
// workflow's account (permission set lz-access-requester or lz-access-approver), or, as a jump-account user, with a
// profile holding an MFA session (`aws sts get-session-token`); the endpoint comes from the SSM parameter the
// workflow publishes, a stack output (--stack) or --endpoint.
// Bundled with its dependencies into assets/cli/ by esbuild, so users install nothing else.
/* eslint-disable import/no-extraneous-dependencies */
import { Command, Option } from 'commander';
import { AccessClient, regionOfEndpoint } from './access/client';
import { DEFAULT_PARAMETER, resolveEndpoint } from './access/endpoint';
import { CliError, Column, Output, OutputStreams, runCommand } from './common/output';

/** What the command needs from its surroundings; tests pass their own. */
export interface AccessCliIo {
  readonly streams?: OutputStreams;
  readonly env?: NodeJS.ProcessEnv;
  /** Pause between polls of `--wait`. */
  readonly pollMs?: number;
}

const FINAL = ['REVOKED', 'REJECTED', 'CANCELLED', 'EXPIRED', 'FAILED'];

/** `90`, `45m`, `2h`, `1h30m` -> minutes. */
export function parseDuration(text: string): number {
  const m = /^(?:(\d+)h)?(?:(\d+)m?)?$/.exec(text.trim());
  if (!m || (m[1] === undefined && m[2] === undefined)) throw new CliError(`--duration must look like 90, 45m, 2h or 1h30m, got '${text}'`, 2);
  const minutes = Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
  if (minutes < 1) throw new CliError('--duration must be at least 1 minute', 2);
  return minutes;
}

function duration(seconds: number | undefined): string {
  if (!seconds) return '-';
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  return h > 0 ? `${h}h${m > 0 ? `${m}m` : ''}` : `${m}m`;
}

const REQUEST_COLUMNS: Column<any>[] = [
  { heading: 'request', value: (r) => r.requestId },
  { heading: 'status', value: (r) => r.status },
  { heading: 'account', value: (r) => r.accountId },
  { heading: 'permission set', value: (r) => grantOf(r) },
  { heading: 'duration', value: (r) => duration(r.durationSeconds) },
  { heading: 'requester', value: (r) => r.requesterName },
  { heading: 'approvals', value: (r) => `${(r.approvals ?? []).length}/${r.requiredApprovals ?? 0}` },
  { heading: 'ends', value: (r) => r.endAt },
];

/** What a request grants: the permission set, or a jump user's elevated role. */
function grantOf(r: any): string {
  return r.permissionSetName ?? r.elevatedRoleName ?? r.permissionSetArn;
}

/** The AWS CLI call that uses a jump user's active grant (the role requires the session name to be the user name). */
function assumeHint(r: any): string {
  return `aws sts assume-role --role-arn ${r.permissionSetArn} --role-session-name ${r.requesterName}`;
}

/** How a jump-account user gets the MFA session the API requires (the AWS CLI keeps it in a profile). */
const JUMP_USERS_HELP = `
Jump-account IAM users sign with an MFA session. Get one with your long-term keys and keep it in a profile:
  aws sts get-session-token --serial-number arn:aws:iam::<jump account>:mfa/<you> --token-code <code> --profile <your keys>
  aws configure set aws_access_key_id <AccessKeyId> --profile lz-mfa   (likewise aws_secret_access_key, aws_session_token)
then request a permission level; once it is active, assume the role it names with your user name as session name:
  lz-access --profile lz-mfa request --level Power --account <id> --duration 2h --reason '...'`;

export async function run(argv: string[], io: AccessCliIo = {}): Promise<number> {
  const env = io.env ?? process.env;
  let output = new Output(false, io.streams);
  const program = new Command('lz-access')
    .description('Request, approve and follow temporary elevated access (cdk-iam-landing-zone ElevatedAccessWorkflow)')
    .addOption(new Option('--endpoint <url>', 'the API endpoint (default: LZ_ACCESS_ENDPOINT, --stack, or the SSM parameter)'))
    .addOption(new Option('--stack <name>', 'read the endpoint from this stack\'s ApiEndpoint output'))
    .addOption(new Option('--parameter <name>', `read the endpoint from this SSM parameter (default ${DEFAULT_PARAMETER})`))
    .addOption(new Option('--profile <name>', 'the AWS profile (default: AWS_PROFILE, then the default credential chain)'))
    .addOption(new Option('--region <region>', 'the API\'s region (default: from the endpoint, AWS_REGION)'))
    .option('--json', 'print JSON instead of tables', false)
    .addHelpText('after', JUMP_USERS_HELP)
    .showHelpAfterError('(run lz-access --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => (io.streams?.out ?? process.stdout).write(s),
      writeErr: (s) => (io.streams?.err ?? process.stderr).write(s),
    });

  const client = async (): Promise<AccessClient> => {
    const g = program.opts();
    const where = { endpoint: g.endpoint, stack: g.stack, parameter: g.parameter, region: g.region, profile: g.profile };
    const endpoint = await resolveEndpoint(where, env);
    const region = g.region ?? regionOfEndpoint(endpoint) ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    if (!region) throw new CliError('the API region is unknown: give --region or set AWS_REGION', 2);
    return new AccessClient({ endpoint, region, profile: g.profile ?? env.AWS_PROFILE });
  };
  const act = (fn: (...args: any[]) => Promise<void>) => async (...args: any[]) => {
    output = new Output(program.opts().json === true, io.streams);
    const code = await runCommand(() => fn(...args), output);
    if (code !== 0) throw Object.assign(new Error('failed'), { exitCode: code, handled: true });
  };

  /** Polls a request until it is active or final, with progress; prints the console link when granted. */
  const waitFor = async (api: AccessClient, requestId: string): Promise<void> => {
    const progress = output.progress(`waiting for ${requestId}`);
    for (;;) {
      const r = await api.get(`/requests/${encodeURIComponent(requestId)}`);
      if (r.status === 'ACTIVE') {
        progress.done();
        output.record(r.grantKind === 'JUMP'
          ? { requestId, status: r.status, account: r.accountId, role: r.permissionSetArn, ends: r.endAt, assume: assumeHint(r) }
          : { requestId, status: r.status, account: r.accountId, permissionSet: r.permissionSetName, ends: r.endAt, console: r.accessPortalLink });
        return;
      }
      if (FINAL.includes(r.status)) {
        progress.done();
        throw new CliError(`request ${requestId} ended ${r.status}${r.closeReason || r.failureReason ? `: ${r.closeReason ?? r.failureReason}` : ''}`);
      }
      progress.update(`${r.status}, ${(r.approvals ?? []).length} of ${r.requiredApprovals} approval(s)`);
      await new Promise((resolve) => setTimeout(resolve, io.pollMs ?? 5000));
    }
  };

  program.command('request')
    .description('ask for a permission set (or, as a jump-account user, a permission level) on one or more accounts for a while')
    .requiredOption('-a, --account <ids...>', 'account id(s) (one request each)')
    .addOption(new Option('-p, --permission-set <name>', 'the permission set (name or ARN)').conflicts('level'))
    .option('-l, --level <name>', 'jump-account users: the permission level, e.g. Power (its lz-elevated-* role)')
    .requiredOption('-d, --duration <time>', 'how long: 90, 45m, 2h, 1h30m')
    .option('-r, --reason <text>', 'why (the justification)')
    .option('-t, --ticket <id>', 'the ticket id, when the rule requires one')
    .option('--start <iso-time>', 'start later (ISO-8601)')
    .option('-w, --wait', 'wait until the access is active or refused, then print the console link', false)
    .action(act(async (o) => {
      if (!o.permissionSet && !o.level) throw new CliError('give --permission-set, or --level as a jump-account user', 2);
      const api = await client();
      const created = await api.post('/requests', {
        accountIds: o.account,
        permissionSet: o.permissionSet,
        permissionLevel: o.level,
        durationMinutes: parseDuration(o.duration),
        justification: o.reason,
        ticketId: o.ticket,
        startAt: o.start,
      });
      output.table(created.requests ?? [created], [
        { heading: 'request', value: (r: any) => r.requestId },
        { heading: 'account', value: (r: any) => r.accountId },
        { heading: 'status', value: (r: any) => r.status },
        { heading: 'approvals needed', value: (r: any) => r.requiredApprovals },
        { heading: 'rules', value: (r: any) => (r.matchedRules ?? []).join(', ') },
      ]);
      if (o.wait) for (const r of created.requests ?? [created]) await waitFor(api, r.requestId);
    }));

  program.command('list')
    .description('your requests (default), the ones you may approve, or your active grants')
    .option('--approvable', 'pending requests you may approve', false)
    .option('--active', 'your active grants', false)
    .action(act(async (o) => {
      const view = o.approvable ? 'approvable' : o.active ? 'active' : 'mine';
      const out = await (await client()).get('/requests', { view });
      output.table(out.requests ?? [], REQUEST_COLUMNS);
    }));

  program.command('show <requestId>')
    .description('one request')
    .option('-w, --wait', 'wait until it is active or final', false)
    .action(act(async (id, o) => {
      const api = await client();
      if (o.wait) return waitFor(api, id);
      const r = await api.get(`/requests/${encodeURIComponent(id)}`);
      output.record({
        request: r.requestId,
        status: r.status,
        requester: r.requesterName,
        account: r.accountId,
        permissionSet: grantOf(r),
        duration: duration(r.durationSeconds),
        justification: r.justification,
        ticket: r.ticketId,
        approvals: `${(r.approvals ?? []).length}/${r.requiredApprovals}`,
        ends: r.endAt,
        console: r.accessPortalLink,
        assume: r.grantKind === 'JUMP' && r.status === 'ACTIVE' ? assumeHint(r) : undefined,
        reason: r.closeReason ?? r.failureReason,
      });
    }));

  for (const [name, description] of [['approve', 'approve a request'], ['reject', 'reject a request'], ['revoke', 'end a grant now (or cancel a pending request)'], ['cancel', 'cancel your pending request']] as const) {
    const cmd = program.command(`${name} <requestId>`).description(description);
    if (name !== 'approve') cmd.option('-r, --reason <text>', 'why');
    cmd.action(act(async (id, o) => {
      const out = await (await client()).post(`/requests/${encodeURIComponent(id)}/${name}`, o.reason ? { reason: o.reason } : {});
      output.record(out);
    }));
  }

  program.command('audit <requestId>')
    .description('the audit trail of a request')
    .action(act(async (id) => {
      const out = await (await client()).get(`/requests/${encodeURIComponent(id)}/audit`);
      output.table(out.records ?? [], [
        { heading: 'at', value: (r: any) => r.at },
        { heading: 'transition', value: (r: any) => r.transition },
        { heading: 'actor', value: (r: any) => String(r.actor ?? '').replace(/^arn:aws[a-z-]*:sts::\d+:assumed-role\/[^/]+\//, '') },
        { heading: 'reason', value: (r: any) => r.reason },
      ]);
    }));

  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    const err = e as { exitCode?: number; handled?: boolean; code?: string };
    if (err.handled) return err.exitCode ?? 1;
    // commander already printed help or the usage error
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help' || err.code === 'commander.version') return 0;
    return typeof err.exitCode === 'number' ? (err.exitCode === 1 ? 2 : err.exitCode) : 2;
  }
}
