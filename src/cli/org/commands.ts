// The three commands of `lz-org`, each taking its options, the AWS clients and the output, and returning the exit code:
// 0 when all is well, 1 when the organization drifted from the model or a preflight check failed, 2 when the command
// could not run (usage, a missing file, an AWS error: one line says which).
import * as fs from 'fs';
import * as path from 'path';
import { readCloudAssembly } from './assembly';
import { OrgClients } from './clients';
import { diffModels, ModelChange, summarize } from './diff';
import { allAccounts, BuildOptions, buildModel, OrganizationModel, parseModel, renderJson } from './model';
import { CheckResult, CheckStatus, runPreflight } from './preflight';
import { readOrganization } from './read-organization';
import { renderTypeScript } from './render-ts';
import { CliError, Output } from '../common/output';

export interface ImportOptions {
  readonly ts: string;
  readonly json: string;
  readonly jumpAccount?: string;
  readonly identityCenterRegion?: string;
  readonly permissionSets?: boolean;
  readonly module: string;
  readonly check?: boolean;
}

export interface DiffOptions {
  readonly model: string;
  readonly identityCenterRegion?: string;
}

export interface PreflightCommandOptions {
  readonly app: string;
  readonly skip?: string[];
  readonly maxPoliciesPerTarget?: number;
  readonly roleName?: string;
}

const CHANGE_COLUMNS = [
  { heading: 'change', value: (c: ModelChange) => c.kind },
  { heading: 'id', value: (c: ModelChange) => c.id },
  { heading: 'name', value: (c: ModelChange) => c.name },
  { heading: 'detail', value: (c: ModelChange) => c.detail },
];

export async function importCommand(options: ImportOptions, clients: OrgClients, output: Output): Promise<number> {
  const previous = fs.existsSync(options.json) ? parseModel(fs.readFileSync(options.json, 'utf8'), options.json) : undefined;
  if (options.check && !previous) {
    throw new CliError(`${options.json} not found: run lz-org import (without --check) to create the model first`, 2);
  }
  const model = await readModel(clients, output, options.identityCenterRegion ?? previous?.imported.identityCenter?.region, {
    jumpAccount: options.jumpAccount, previous, permissionSets: options.permissionSets, withoutMissingJumpAccount: options.check,
  });
  if (options.check) return reportDrift(previous!, model, options.json, output);

  const changes = previous ? diffModels(previous, model) : [];
  fs.mkdirSync(path.dirname(path.resolve(options.json)), { recursive: true });
  fs.mkdirSync(path.dirname(path.resolve(options.ts)), { recursive: true });
  fs.writeFileSync(options.json, renderJson(model));
  fs.writeFileSync(options.ts, renderTypeScript(model, {
    moduleSpecifier: options.module,
    jsonFile: path.relative(path.dirname(path.resolve(options.ts)), path.resolve(options.json)) || options.json,
  }));

  const summary = modelSummary(model);
  if (output.isJson) {
    output.record({ files: [options.ts, options.json], ...summary, changes });
    return 0;
  }
  output.record({ ...summary, written: `${options.ts}, ${options.json}` });
  if (!model.jumpAccount) output.say('note: no jump account in the model; pass --jump-account <name or id> to name it');
  if (previous) {
    output.say('');
    if (changes.length === 0) {
      output.say(`no changes since the previous ${options.json}`);
    } else {
      output.say(`${summarize(changes)} since the previous ${options.json}:`);
      output.table(changes, CHANGE_COLUMNS);
    }
  }
  return 0;
}

export async function diffCommand(options: DiffOptions, clients: OrgClients, output: Output): Promise<number> {
  if (!fs.existsSync(options.model)) {
    throw new CliError(`${options.model} not found: pass --model <organization.json written by lz-org import>`, 2);
  }
  const committed = parseModel(fs.readFileSync(options.model, 'utf8'), options.model);
  const live = await readModel(clients, output, options.identityCenterRegion ?? committed.imported.identityCenter?.region,
    { previous: committed, withoutMissingJumpAccount: true });
  return reportDrift(committed, live, options.model, output);
}

export async function preflightCommand(options: PreflightCommandOptions, clients: OrgClients, output: Output): Promise<number> {
  if (options.maxPoliciesPerTarget !== undefined && (!Number.isInteger(options.maxPoliciesPerTarget) || options.maxPoliciesPerTarget < 1)) {
    throw new CliError(`--max-policies-per-target must be a positive integer, got ${options.maxPoliciesPerTarget}`, 2);
  }
  const requirements = readCloudAssembly(options.app);
  if (requirements.stacks.length === 0) throw new CliError(`${options.app} holds no stacks: synthesize the landing zone first`, 2);
  const checks = await runPreflight(requirements, clients, {
    skip: options.skip, maxPoliciesPerTarget: options.maxPoliciesPerTarget, roleName: options.roleName, progress: output.progress('checking'),
  });
  const failed = checks.filter((c) => c.status === CheckStatus.FAIL);
  const count = (s: CheckStatus) => checks.filter((c) => c.status === s).length;
  if (output.isJson) {
    output.record({ passed: count(CheckStatus.PASS), failed: failed.length, skipped: count(CheckStatus.SKIP), checks });
    return failed.length > 0 ? 1 : 0;
  }
  output.table(checks, [
    { heading: 'status', value: (c: CheckResult) => c.status.toUpperCase() },
    { heading: 'check', value: (c: CheckResult) => c.title },
    { heading: 'detail', value: (c: CheckResult) => c.detail },
  ]);
  output.say('');
  for (const c of failed) output.say(`fix ${c.id}: ${c.fix}`);
  if (failed.length > 0) output.say('');
  output.say(`${count(CheckStatus.PASS)} passed, ${failed.length} failed, ${count(CheckStatus.SKIP)} skipped (${requirements.stacks.length} stacks in ${options.app})`);
  return failed.length > 0 ? 1 : 0;
}

async function readModel(clients: OrgClients, output: Output, identityCenterRegion: string | undefined,
  options: BuildOptions & { permissionSets?: boolean }): Promise<OrganizationModel> {
  const progress = output.progress('reading the organization');
  try {
    const live = await readOrganization(clients, {
      identityCenterRegion: identityCenterRegion ?? clients.region,
      permissionSets: options.permissionSets,
      progress,
    });
    return buildModel(live, options);
  } finally {
    progress.done();
  }
}

function reportDrift(committed: OrganizationModel, live: OrganizationModel, file: string, output: Output): number {
  const changes = diffModels(committed, live);
  if (output.isJson) {
    output.record({ inSync: changes.length === 0, model: file, changes });
    return changes.length > 0 ? 1 : 0;
  }
  if (changes.length === 0) {
    output.say(`${file} matches organization ${live.imported.organizationId} (${allAccounts(live).length} accounts, ${live.organizationalUnits.length} OUs)`);
    return 0;
  }
  output.table(changes, CHANGE_COLUMNS);
  output.say('');
  output.say(`${summarize(changes)}: organization ${live.imported.organizationId} has drifted from ${file}; run lz-org import to update the model, review the diff, and synthesize again`);
  return 1;
}

function modelSummary(model: OrganizationModel): Record<string, unknown> {
  const accounts = allAccounts(model);
  const inactive = accounts.filter((a) => a.status !== undefined);
  const ic = model.imported.identityCenter;
  return {
    organization: model.imported.organizationId,
    root: model.rootId,
    management: `${model.managementAccount.name} (${model.managementAccount.accountId})`,
    jump: model.jumpAccount ? `${model.jumpAccount.name} (${model.jumpAccount.accountId})` : undefined,
    accounts: accounts.length,
    inactive: inactive.length > 0 ? inactive.map((a) => `${a.name} ${a.status}`).join(', ') : 0,
    ous: model.organizationalUnits.length,
    delegatedAdministrators: model.imported.delegatedAdministrators.map((d) => `${d.name}: ${d.servicePrincipals.join(' ')}`).join('; ') || undefined,
    identityCenter: ic ? `${ic.instanceArn} (${ic.identityStoreId}, ${ic.region})` : undefined,
  };
}
