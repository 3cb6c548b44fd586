// `lz-org`: from an existing AWS Organization to a deployed landing zone. `import` writes the organization model
// (a TypeScript module and its JSON twin), `diff` shows how the organization drifted from the committed model, and
// `preflight` checks what the synthesized landing zone needs from the organization. Read-only: no command changes AWS.
/* eslint-disable import/no-extraneous-dependencies */ // bundled into assets/cli by esbuild; the library never imports it
import { Command, CommanderError, Option } from 'commander';
import { CliError, describeError, Output, OutputStreams } from './common/output';
import { OrgClients, OrgClientOptions } from './org/clients';
import { diffCommand, ImportOptions, importCommand, preflightCommand, PreflightCommandOptions } from './org/commands';

export interface LzOrgDependencies {
  readonly streams?: OutputStreams;
  /** Tests hand in clients whose HTTP layer they control. */
  readonly clients?: (options: OrgClientOptions) => OrgClients;
}

/** The import command's flags as commander parses them (`--json-file`, since `--json` is the global output switch). */
type ImportFlags = Omit<ImportOptions, 'json'> & { readonly jsonFile: string };

interface GlobalOptions {
  readonly profile?: string;
  readonly region?: string;
  readonly json?: boolean;
}

export async function run(argv: string[]): Promise<number> {
  return main(argv, {});
}

export async function main(argv: string[], deps: LzOrgDependencies): Promise<number> {
  const streams = deps.streams ?? { out: process.stdout, err: process.stderr };
  const makeClients = deps.clients ?? ((o: OrgClientOptions) => new OrgClients(o));
  let exitCode = 0;

  const program = new Command('lz-org')
    .description('From an existing AWS Organization to a deployed landing zone: import the organization model, show its drift, check the prerequisites.\nEvery command is read-only; credentials come from the AWS SDK default chain (AWS_PROFILE, SSO, environment, instance role).')
    .option('--profile <name>', 'AWS profile to use (default: the SDK default chain)')
    .option('--region <region>', 'region for regional calls (default: AWS_REGION, or us-east-1)')
    .option('--json', 'print JSON instead of tables')
    .exitOverride()
    .configureOutput({ writeOut: (s) => streams.out.write(s), writeErr: (s) => streams.err.write(s) })
    .showSuggestionAfterError();

  const action = <T>(fn: (options: T, clients: OrgClients, output: Output) => Promise<number>) =>
    async (options: T, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const output = new Output(globals.json === true, streams);
      try {
        exitCode = await fn(options, makeClients({ profile: globals.profile, region: globals.region }), output);
      } catch (e) {
        output.error(describeError(e));
        exitCode = e instanceof CliError ? e.exitCode : 2;
      }
    };

  program.command('import')
    .summary('write the organization model (TypeScript module and JSON) from the live organization')
    .description('Read the organization (OUs, accounts with state and tags, delegated administrators, Identity Center) and write the organization model as a TypeScript module and JSON. Names are normalized (AWS names kept in the JSON), suspended and closed accounts marked. When the JSON exists, the changes since it are listed.')
    .option('--ts <file>', 'TypeScript module to write', 'organization.generated.ts')
    .option('--json-file <file>', 'JSON model to write (for Python, Java, .NET, Go: Organization.fromJson)', 'organization.json')
    .option('--jump-account <id-or-name>', 'the account holding the jump-account IAM users (default: the one of the existing JSON)')
    .option('--identity-center-region <region>', 'region of the IAM Identity Center instance (default: the existing JSON\'s, else --region)')
    .option('--permission-sets', 'also record existing permission sets and their assignments in the JSON (one call per permission set and account)')
    .option('--module <specifier>', 'module the TypeScript file imports the library from', 'cdk-iam-landing-zone')
    .option('--check', 'write nothing; compare with the existing JSON and exit 1 on differences (as lz-org diff)')
    .addHelpText('after', '\nExit codes: 0 written (or in sync with --check), 1 drift found with --check, 2 could not run.')
    .action(action<ImportFlags>(
      (o, clients, output) => importCommand({ ...o, json: o.jsonFile }, clients, output)));

  program.command('diff')
    .summary('show how the organization drifted from the committed model (exit 1 on drift)')
    .description('Compare the live organization with the committed model and name every change: new, removed, moved, renamed, suspended and closed accounts, tag changes, new, removed, renamed and moved OUs, delegated administrators, Identity Center.')
    .option('--model <file>', 'the committed JSON model', 'organization.json')
    .option('--identity-center-region <region>', 'region of the IAM Identity Center instance (default: the model\'s)')
    .addHelpText('after', '\nExit codes: 0 in sync, 1 the organization drifted from the model, 2 could not run. Schedule it in CI to be told about drift.')
    .action(action<{ model: string; identityCenterRegion?: string }>((o, clients, output) => diffCommand(o, clients, output)));

  program.command('preflight')
    .summary('check what the synthesized landing zone needs from the organization (pass/fail and the fix)')
    .description('Check, read-only, what the synthesized landing zone needs from the organization: all features, policy types, trusted access, delegated administrators, policies per target within the quota, the accounts it deploys to, the Identity Center instance and identity store, CDK bootstrap of every environment. Prints pass/fail and the exact fix.')
    .option('--app <dir>', 'the cloud assembly (run cdk synth first)', 'cdk.out')
    .option('--skip <check-ids...>', 'report these checks (ids from --json, or a prefix such as bootstrap) as skipped')
    .addOption(new Option('--max-policies-per-target <n>', 'SCP/RCP quota per target (default: the app\'s maxPoliciesPerTarget, else 5)').argParser((v) => Number(v)))
    .option('--role-name <name>', 'role to read the bootstrap version through in other accounts (default: CDK\'s lookup role)')
    .addHelpText('after', '\nExit codes: 0 every check passed, 1 a check failed, 2 could not run.')
    .action(action<PreflightCommandOptions>((o, clients, output) => preflightCommand(o, clients, output)));

  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // commander has printed the help or its one-line error already
      return e.exitCode === 0 ? 0 : 2;
    }
    streams.err.write(`error: ${describeError(e)}\n`);
    return 2;
  }
  return exitCode;
}
