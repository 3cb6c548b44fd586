import * as fs from 'fs';
import * as path from 'path';
import { attachCustomSynthesis, ISynthesisSession, Stage } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { AnalyzerKind } from './access-analyzer/archive-rule';
import { analyzerConsoleUrl, analyzerFilter } from './private/access-findings';

/**
 * How a principal reaches an account.
 */
export enum AccessPath {
  /** An IAM user of the jump account, through a group, switching into a cross-account role. */
  JUMP_ACCOUNT_ROLE = 'jump-account-role',
  /** An Identity Center user or group with a standing permission set assignment. */
  PERMISSION_SET_ASSIGNMENT = 'permission-set-assignment',
  /** A principal that may request access through the elevated-access workflow: an Identity Center user or group a permission set, a jump-account user or group an elevated role (`lz-elevated-<level>`). */
  ELEVATED_ACCESS = 'elevated-access',
}

/**
 * One row of the access report: a principal reaches an account with some access, under some conditions.
 */
export interface AccessReportEntry {
  /** How the access is obtained. */
  readonly path: AccessPath;

  /** The principal: a jump-account group name, or an Identity Center group/user (display name or id). */
  readonly principal: string;

  /** Kind of principal, e.g. `iam-group`, `sso-group`, `sso-user`. */
  readonly principalType: string;

  /** The account reached. */
  readonly accountId: string;

  /**
   * The account's name in the organization model.
   *
   * @default - the account id
   */
  readonly accountName?: string;

  /** The role name or permission set name that carries the rights. */
  readonly access: string;

  /**
   * The permission level's name (e.g. `Admin`, `ReadOnly`), when the access comes from a `PermissionLevel`.
   *
   * @default - a custom set of policies
   */
  readonly level?: string;

  /** Whether MFA is required by the library's policies (Identity Center access depends on the IdP's MFA: false here). */
  readonly mfaEnforced: boolean;

  /**
   * Source CIDRs the access is limited to.
   *
   * @default - no source address limit
   */
  readonly sourceCidrs?: string[];

  /** Whether a permissions boundary holds the access in. */
  readonly boundary: boolean;

  /** Whether the access exists only through an approved, time-bounded elevated-access request. */
  readonly elevatedOnly: boolean;

  /**
   * Longest session, in seconds.
   *
   * @default - not known to the library
   */
  readonly maxSessionSeconds?: number;

  /**
   * Free text on approvals or other conditions (e.g. `2 of approvers [sec-leads]`).
   *
   * @default - none
   */
  readonly conditions?: string;

  /** Construct path of the construct that grants this access. */
  readonly source: string;
}

/**
 * Where reviewers find the IAM Access Analyzer findings about the report's roles and permission sets.
 */
export interface AccessAnalyzerReference {
  /** The analyzer's name. */
  readonly analyzerName: string;

  /** Which analyzer it is. */
  readonly kind: AnalyzerKind;

  /** The account holding the analyzer (the delegated administrator). */
  readonly accountId: string;

  /**
   * The account's name.
   *
   * @default - the account id
   */
  readonly accountName?: string;

  /** The analyzer's region. */
  readonly region: string;
}

/**
 * A construct whose access the report lists: the jump account, the permission-set catalog and the elevated-access
 * workflow are sources. The report is given each source (`AccessReport.addSource`) and reads its rows once, when it
 * is written, after every construct of the app is added.
 */
export interface IAccessReportSource {
  /**
   * The rows, from the construct's plan. Read when the report is written: rows that depend on the whole app (which
   * target roles it deploys, and their session limits) are final only then.
   */
  accessReportEntries(): AccessReportEntry[];
}

const REPORT_ID = 'LandingZoneAccessReport';

/**
 * The access report of an app: for every group, user and permission set, which accounts and roles it reaches, with
 * MFA, source IP, boundary and elevated-only flags. The library's constructs are its sources (`addSource`), a
 * `LandingZone` hands over its own, and `addEntry` adds rows of anything else; at synth the report is written into
 * the cloud assembly as `access-report.json` and `access-report.md`, for reviewers of a pull request.
 */
export class AccessReport extends Construct {
  /** The report of the app (stage) that holds `scope`, created on first use at the stage root. */
  public static of(scope: IConstruct): AccessReport {
    const stage = Stage.of(scope);
    const root: IConstruct = stage ?? scope.node.root;
    return (root.node.tryFindChild(REPORT_ID) as AccessReport | undefined) ?? new AccessReport(root as Construct, REPORT_ID);
  }

  private readonly rows: AccessReportEntry[] = [];
  private readonly sources: IAccessReportSource[] = [];
  private readonly analyzers: AccessAnalyzerReference[] = [];

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    attachCustomSynthesis(this, {
      onSynthesize: (session: ISynthesisSession) => this.write(session.outdir),
    });
  }

  /** Adds one row. */
  public addEntry(entry: AccessReportEntry): void {
    this.rows.push(entry);
  }

  /**
   * Points reviewers to an analyzer's findings: the report gains a section naming the analyzers and, per row, the
   * filter that lists the findings about that row's role or permission set.
   */
  public addAnalyzerReference(reference: AccessAnalyzerReference): void {
    this.analyzers.push(reference);
  }

  /** The analyzers the report points to. */
  public get analyzerReferences(): AccessAnalyzerReference[] {
    return [...this.analyzers];
  }

  /**
   * Lists a source's rows, read when the report is written. Giving a source a second time changes nothing.
   *
   * @param source the construct whose access the report lists
   */
  public addSource(source: IAccessReportSource): void {
    if (!this.sources.includes(source)) this.sources.push(source);
  }

  /** Every row, sorted by principal, account and access. */
  public get entries(): AccessReportEntry[] {
    return [...this.rows, ...this.sources.flatMap((s) => s.accessReportEntries())].sort((a, b) =>
      a.principal.localeCompare(b.principal) || a.accountId.localeCompare(b.accountId) || a.access.localeCompare(b.access));
  }

  /** The report as Markdown. */
  public renderMarkdown(): string {
    return markdown(this.entries, this.analyzers);
  }

  private write(outdir: string): void {
    // the sources are read once per synth: both files come from the same rows
    const rows = this.entries;
    fs.mkdirSync(outdir, { recursive: true });
    const json = this.analyzers.length === 0 ? { entries: rows } : {
      entries: rows.map((r) => ({ ...r, analyzerFilter: analyzerFilter(r) })),
      accessAnalyzers: this.analyzers,
    };
    fs.writeFileSync(path.join(outdir, 'access-report.json'), JSON.stringify(json, undefined, 2));
    fs.writeFileSync(path.join(outdir, 'access-report.md'), markdown(rows, this.analyzers));
  }
}

function markdown(rows: AccessReportEntry[], analyzers: AccessAnalyzerReference[]): string {
  const lines: string[] = ['# Access report', ''];
  lines.push(`${rows.length} access path(s) for ${new Set(rows.map((r) => r.principal)).size} principal(s) over `
    + `${new Set(rows.map((r) => r.accountId)).size} account(s).`, '');
  const withFindings = analyzers.length > 0;
  if (withFindings) {
    lines.push('## IAM Access Analyzer findings', '');
    lines.push('Review the unused and external access findings of every role and permission set below: open the analyzer, '
      + 'then filter with the row\'s "Analyzer filter".', '');
    for (const a of analyzers) {
      const unused = a.kind === AnalyzerKind.UNUSED_ACCESS;
      lines.push(`- ${unused ? 'unused' : 'external'} access: analyzer \`${a.analyzerName}\` in account `
        + `${a.accountName ?? a.accountId} (${a.accountId}), ${a.region}: ${analyzerConsoleUrl(a.region, unused)}`);
    }
    lines.push('');
  }
  const byPrincipal = new Map<string, AccessReportEntry[]>();
  for (const r of rows) {
    const key = `${r.principalType} ${r.principal}`;
    if (!byPrincipal.has(key)) byPrincipal.set(key, []);
    byPrincipal.get(key)!.push(r);
  }
  for (const [principal, list] of byPrincipal) {
    lines.push(`## ${principal}`, '');
    lines.push('| Account | Access | Level | Path | MFA | Source IP | Boundary | Elevated only | Max session | Conditions |'
      + (withFindings ? ' Analyzer filter |' : ''));
    lines.push('|---|---|---|---|---|---|---|---|---|---|' + (withFindings ? '---|' : ''));
    for (const r of list) {
      const cells = [`${r.accountName ?? r.accountId} (${r.accountId})`, r.access, r.level ?? 'custom', r.path,
        yes(r.mfaEnforced), r.sourceCidrs?.join(', ') || 'any', yes(r.boundary), yes(r.elevatedOnly),
        r.maxSessionSeconds ? `${r.maxSessionSeconds / 3600} h` : '-', r.conditions ?? '',
        ...(withFindings ? [analyzerFilter(r)] : [])];
      lines.push(`| ${cells.map(cell).join(' | ')} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** A Markdown table cell: a `|` in a name or a ticket pattern would end the cell, a line break the row. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function yes(b: boolean): string {
  return b ? 'yes' : 'no';
}
