"""The example landing zone of examples/landing-zone, in Python.

The same company, OUs, people, guardrails, permission sets and elevated access as the TypeScript example, built
through the jsii bindings. `test/python/test_example_app.py` synthesizes it and checks that its templates are those
of the TypeScript example. Lists of structs take struct classes (`AccountDefinition(...)`): jsii converts a dict only
where a parameter itself is a struct, never inside a list.

Run it with `python3 app.py` (or `npx cdk synth` in this folder) in a Python environment that has aws-cdk-lib,
constructs, cdk-nag and cdk-iam-landing-zone; in this repository `npx projen test:python` builds one offline in
`.ci-work/python/venv`.
"""
import pathlib

from aws_cdk import Acknowledgment, Annotations, App, Duration, Stack, Validations
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from cdk_iam_landing_zone import (
    AccountDefinition, AccountSelection, AnalyzerArchiveRule, ApprovalRequirement, ApproverRule, EligibilityRule,
    ElevatedAccessWorkflow, Guardrail, IdentityCenterPrincipal, IdentityPerimeterOptions, JumpGroup, JumpTarget,
    JumpAccountManifest, JumpApproverRule, JumpEligibilityRule, JumpElevatedAccessOptions, JumpPrincipal, JumpUser,
    LandingZone, LandingZoneAccessAnalysisOptions, LandingZoneBoundary,
    LandingZoneChecks, LandingZoneDataPerimeterOptions, LandingZoneDeniedActionOptions,
    LandingZoneIdentityCenterOptions, LandingZoneJumpAccountOptions, NoticeAudience, NoticeChannel, NoticeEmail,
    Organization, OrganizationalUnitAssignment, OrganizationalUnitDefinition, OtherOrganization, PermissionLevel,
    PermissionSetCatalog, ResourcePerimeterOptions, TargetRoleOptions,
)

# --- organization.ts ---------------------------------------------------------------------------------------------


def example_organization() -> Organization:
    """A management account, Identity Center delegated to the audit account (which also runs the security tooling),
    a jump account, nested workload OUs, a sandbox and a suspended OU, the retail subsidiary's organization that the
    same jump account serves, one account of an acquired company, and a vendor's own account that the data perimeter
    trusts."""
    def account(account_id, name, ou=None, **tags):
        return AccountDefinition(account_id=account_id, name=name, organizational_unit=ou, tags=tags or None)

    return Organization(
        root_id="r-ex01",
        organization_id="o-ex01abcdef",
        management_account=AccountDefinition(account_id="000000000000", name="management"),
        jump_account=AccountDefinition(account_id="111111111111", name="jump", organizational_unit="Security"),
        # Identity Center is administered from the audit account, which also hosts the elevated-access workflow
        identity_center_admin_account="audit",
        organizational_units=[
            OrganizationalUnitDefinition(path="Security", ou_id="ou-ex01-securit1"),
            OrganizationalUnitDefinition(path="Sandbox", ou_id="ou-ex01-sandbox1"),
            OrganizationalUnitDefinition(path="Workloads", ou_id="ou-ex01-workload"),
            OrganizationalUnitDefinition(path="Workloads/NonProd", ou_id="ou-ex01-nonprod1"),
            OrganizationalUnitDefinition(path="Workloads/Prod", ou_id="ou-ex01-prod0001"),
            OrganizationalUnitDefinition(path="Suspended", ou_id="ou-ex01-suspend1"),
        ],
        accounts=[
            account("222222222201", "log-archive", "Security"),
            account("222222222202", "audit", "Security"),
            account("333333333301", "sandbox-alice", "Sandbox", env="sandbox"),
            account("333333333302", "sandbox-bob", "Sandbox", env="sandbox"),
            account("444444444401", "shop-dev", "Workloads/NonProd", env="dev", app="shop"),
            account("444444444402", "shop-test", "Workloads/NonProd", env="test", app="shop"),
            account("444444444403", "data-dev", "Workloads/NonProd", env="dev", app="data"),
            account("555555555501", "shop-prod", "Workloads/Prod", env="prod", app="shop"),
            account("555555555502", "data-prod", "Workloads/Prod", env="prod", app="data"),
            account("555555555503", "payments-prod", "Workloads/Prod", env="prod", app="payments", pci="true"),
            account("666666666601", "legacy-closed", "Suspended"),
            account("777777777701", "shared-network", "Workloads", env="shared"),
        ],
        # the Security OU's audit account runs the security tooling (IAM Access Analyzer, denied-action alerts)
        security_tooling_account="audit",
        external_accounts=[
            AccountDefinition(account_id="888888888801", name="acquired-co-prod"),
            # Acme's own account, whose build pipeline reads the release bucket of shop-prod
            AccountDefinition(account_id="999999999901", name="acme-build"),
        ],
        # the retail subsidiary's own organization: its app deploys its baseline; vendors reach it by OU
        other_organizations=[OtherOrganization(name="retail", organization=example_retail_organization())],
    )


def example_retail_organization() -> Organization:
    """The retail subsidiary's organization, as its own `lz-org import` writes it: account names and OU paths repeat
    the company's, since each organization names its own."""
    def account(account_id, name, ou=None, **tags):
        return AccountDefinition(account_id=account_id, name=name, organizational_unit=ou, tags=tags or None)

    return Organization(
        root_id="r-ex02",
        organization_id="o-ex02retail0",
        management_account=AccountDefinition(account_id="121212121200", name="management"),
        organizational_units=[
            OrganizationalUnitDefinition(path="Security", ou_id="ou-ex02-securit1"),
            OrganizationalUnitDefinition(path="Workloads", ou_id="ou-ex02-workload"),
            OrganizationalUnitDefinition(path="Workloads/Prod", ou_id="ou-ex02-prod0001"),
        ],
        accounts=[
            account("121212121201", "audit", "Security"),
            account("121212121202", "pos-dev", "Workloads", env="dev", app="pos"),
            account("121212121203", "pos-prod", "Workloads/Prod", env="prod", app="pos"),
        ],
    )


# --- jump.ts -----------------------------------------------------------------------------------------------------

# The roles jump-account users switch into, deployed by the OU baselines.
WORKLOAD_ROLES = [
    TargetRoleOptions(permission_level=PermissionLevel.read_only()),
    TargetRoleOptions(permission_level=PermissionLevel.power()),
    TargetRoleOptions(permission_level=PermissionLevel.ssm()),
    # administrators must have signed in with MFA within the last hour
    TargetRoleOptions(permission_level=PermissionLevel.admin(), max_mfa_age=Duration.hours(1)),
]
SANDBOX_ROLES = [
    TargetRoleOptions(permission_level=PermissionLevel.power_and_iam()),
    TargetRoleOptions(permission_level=PermissionLevel.read_only()),
]


# The roles the jump account's groups expect in the retail organization, committed beside the TypeScript example:
# this app writes it (-c lz:writeJumpAccountManifest=true), the retail app deploys and checks them.
JUMP_ACCOUNT_MANIFEST = str(pathlib.Path(__file__).resolve().parent.parent / "landing-zone" / "jump-account-manifest.json")


def example_jump_account() -> LandingZoneJumpAccountOptions:
    """Two vendors, auditors (also in the retail organization and the acquired company's account) and break-glass
    administrators."""
    workloads = AccountSelection.organizational_units(["Workloads"])

    def ou(path):
        return AccountSelection.organizational_units([path])

    return LandingZoneJumpAccountOptions(
        groups=[
            JumpGroup(
                group_name="vendor-acme",
                targets=[
                    JumpTarget(accounts=ou("Workloads/NonProd"), permission_levels=[PermissionLevel.power()]),
                    JumpTarget(accounts=ou("Workloads/Prod"), permission_levels=[PermissionLevel.read_only()]),
                    # the same path in the retail organization: qualified, since each organization has its own
                    JumpTarget(accounts=AccountSelection.organizational_units(["Workloads/Prod"], organization="retail"),
                               permission_levels=[PermissionLevel.read_only()]),
                ],
                allowed_source_cidrs=["203.0.113.0/24"],
            ),
            JumpGroup(
                group_name="vendor-globex",
                targets=[
                    JumpTarget(accounts=ou("Workloads/Prod"), permission_levels=[PermissionLevel.ssm()]),
                    JumpTarget(accounts=ou("Sandbox"), permission_levels=[PermissionLevel.power_and_iam()]),
                ],
                allowed_source_cidrs=["198.51.100.0/24", "2001:db8:1234::/48"],
            ),
            JumpGroup(
                group_name="auditors",
                targets=[JumpTarget(
                    accounts=AccountSelection.union([
                        workloads,
                        AccountSelection.organizational_units(["Workloads"], organization="retail"),
                        AccountSelection.accounts(["acquired-co-prod"]),
                    ]),
                    permission_levels=[PermissionLevel.read_only()],
                )],
            ),
            JumpGroup(group_name="break-glass",
                      targets=[JumpTarget(accounts=workloads, permission_levels=[PermissionLevel.admin()])]),
        ],
        users=[
            JumpUser(user_name="acme-alice", groups=["vendor-acme"]),
            JumpUser(user_name="acme-ci", groups=["vendor-acme"], console_access=False),
            JumpUser(user_name="globex-gary", groups=["vendor-globex"]),
            JumpUser(user_name="audit-carol", groups=["auditors"]),
            JumpUser(user_name="breakglass-dave", groups=["break-glass"]),
            JumpUser(user_name="breakglass-erin", groups=["break-glass"]),
        ],
        # the acquired company's own pipeline deploys its roles
        externally_managed_roles=[JumpTarget(accounts=AccountSelection.accounts(["acquired-co-prod"]),
                                             permission_levels=[PermissionLevel.read_only()])],
        # the retail organization's roles: its own app deploys them and fails when one the groups expect is missing
        manifest_file=JUMP_ACCOUNT_MANIFEST,
    )


# --- guardrails.ts -----------------------------------------------------------------------------------------------

EXAMPLE_ALLOWED_REGIONS = ["eu-central-1", "eu-west-1"]


def example_root_guardrails():
    return [
        Guardrail.deny_root_user(),
        Guardrail.deny_leaving_organization(),
        Guardrail.deny_root_access_keys(),
        Guardrail.deny_iam_users(),  # the jump account keeps its IAM users
        Guardrail.protect_landing_zone_resources(),
        Guardrail.protect_security_services(),
    ]


def example_region_guardrail() -> Guardrail:
    return Guardrail.restrict_regions(allowed_regions=EXAMPLE_ALLOWED_REGIONS,
                                      exempt_principal_arns=["arn:aws:iam::*:role/lz-admin"])


def example_suspended_guardrail() -> Guardrail:
    return Guardrail.custom(name="DenyAllSuspended",
                            statements=[iam.PolicyStatement(effect=iam.Effect.DENY, actions=["*"], resources=["*"])])


# --- identity-center.ts ------------------------------------------------------------------------------------------

EXAMPLE_INSTANCE_ARN = "arn:aws:sso:::instance/ssoins-72230f3a2b8c1e9d"
EXAMPLE_IDENTITY_STORE_ID = "d-9067a1b2c3"


def example_permission_sets(catalog: PermissionSetCatalog) -> dict:
    return {
        # Admin is never assigned as standing access: it is granted through the elevated-access workflow
        "admin": catalog.add_permission_set("Admin", permission_level=PermissionLevel.admin(),
                                            session_duration=Duration.hours(2)),
        "power": catalog.add_permission_set("Power", permission_level=PermissionLevel.power(),
                                            session_duration=Duration.hours(4)),
        "read_only": catalog.add_permission_set("ReadOnly", permission_level=PermissionLevel.read_only(),
                                                session_duration=Duration.hours(8)),
        "ssm": catalog.add_permission_set("Ssm", permission_level=PermissionLevel.ssm()),
    }


def example_standing_assignments(catalog: PermissionSetCatalog, sets: dict) -> None:
    non_prod_and_sandbox = AccountSelection.organizational_units(["Workloads/NonProd", "Sandbox"])
    catalog.assign(principal=IdentityCenterPrincipal.group_named("Platform Engineers"),
                   permission_set=sets["power"], accounts=non_prod_and_sandbox)
    catalog.assign(principal=IdentityCenterPrincipal.group_named("Developers"),
                   permission_set=sets["power"], accounts=non_prod_and_sandbox)
    catalog.assign(principal=IdentityCenterPrincipal.group_named("On-Call"),
                   permission_set=sets["ssm"], accounts=AccountSelection.tagged("env", "prod"))
    catalog.assign(principal=IdentityCenterPrincipal.group_named("Auditors"), permission_set=sets["read_only"],
                   accounts=AccountSelection.all_member_accounts(exclude_accounts=["legacy-closed"]))


# --- elevated-access.ts ------------------------------------------------------------------------------------------

EXAMPLE_GROUP_IDS = {
    "on_call": "9067a1b2c3-0c1e4c2a-11aa-4b7e-9c1d-000000000001",
    "prod_leads": "9067a1b2c3-0c1e4c2a-11aa-4b7e-9c1d-000000000002",
    "security_officers": "9067a1b2c3-0c1e4c2a-11aa-4b7e-9c1d-000000000003",
}


def example_elevated_access(lz: LandingZone, sets: dict) -> ElevatedAccessWorkflow:
    """Production access by request for Workloads/Prod, run from the audit account (the delegated Identity Center
    administrator); approvers hear of requests in Slack and by e-mail."""
    org = lz.organization
    host = org.identity_center_account
    stack = Stack(lz, "ElevatedAccess",
                  stack_name=f"{lz.stack_name_prefix}-ElevatedAccess",
                  env={"account": host.account_id, "region": lz.region},
                  description="cdk-iam-landing-zone: elevated access workflow for Workloads/Prod")
    prod = AccountSelection.organizational_units(["Workloads/Prod"])
    # the Security OU's baseline StackSet deploys the landing zone boundary into the audit account
    boundary = LandingZoneBoundary.from_account(stack, "Boundary", host.account_id)
    on_call = IdentityCenterPrincipal.group(EXAMPLE_GROUP_IDS["on_call"])
    workflow = ElevatedAccessWorkflow(stack, "ProdAccess",
        organization=org,
        identity_store_id=EXAMPLE_IDENTITY_STORE_ID,
        eligibility=[
            EligibilityRule(name="on-call-read-only", principals=[on_call], targets=prod,
                            permission_sets=[sets["read_only"]], max_duration=Duration.hours(4)),
            EligibilityRule(name="on-call-admin", principals=[on_call], targets=prod,
                            permission_sets=[sets["admin"]], max_duration=Duration.hours(1),
                            approval=ApprovalRequirement.quorum(2), ticket_pattern=r"^(INC|CHG)-\d{3,}$"),
        ],
        approvers=[
            ApproverRule(name="prod-leads", approvers=[IdentityCenterPrincipal.group(EXAMPLE_GROUP_IDS["prod_leads"])],
                         targets=prod, permission_sets=[sets["read_only"], sets["admin"]]),
            ApproverRule(name="pci-security",
                         approvers=[IdentityCenterPrincipal.group(EXAMPLE_GROUP_IDS["security_officers"])],
                         targets=AccountSelection.tagged("pci", "true"), permission_sets=[sets["admin"]]),
        ],
        # the two vendors may request Power on Workloads/Prod for at most 2 hours, with one break-glass admin's approval
        jump_access=JumpElevatedAccessOptions(
            jump_account=lz.jump_account,
            eligibility=[JumpEligibilityRule(
                name="vendors-prod-power",
                principals=[JumpPrincipal.group("vendor-acme"), JumpPrincipal.group("vendor-globex")],
                targets=prod, permission_levels=[PermissionLevel.power()], max_duration=Duration.hours(2),
                approval=ApprovalRequirement.any_one())],
            approvers=[JumpApproverRule(name="break-glass-admins", jump_approvers=[JumpPrincipal.group("break-glass")],
                                        targets=prod, permission_levels=[PermissionLevel.power()])],
        ),
        organization_trail_log_group=logs.LogGroup.from_log_group_name(stack, "OrgTrail",
                                                                       "aws-controltower/CloudTrailLogs"),
        permissions_boundary=boundary,
        notice_emails=[
            NoticeEmail(address="prod-leads@example.com", audience=NoticeAudience.APPROVERS),
            NoticeEmail(address="platform-oncall@example.com", audience=NoticeAudience.OPERATORS),
        ],
        chat_channels=[
            NoticeChannel.slack(slack_workspace_id="T0EXAMPLE1", slack_channel_id="C0PRODACCESS",
                                audiences=[NoticeAudience.APPROVERS, NoticeAudience.OPERATORS]),
        ],
    )
    # the vendors' elevated roles in every Workloads/Prod account, the grant writer in the jump account
    lz.add_jump_elevated_access(workflow.jump_deployment)
    # ReadOnly sessions last 8 hours by design: a session opened just before its revoke keeps reading that long
    Annotations.of(workflow).acknowledge_warning(
        "cdk-iam-landing-zone:elevatedAccessSessionOutlivesRevoke",
        "ReadOnly (8 h) and Admin (2 h) sessions may outlive a revoke by their session duration; accepted, see README")
    # auditors read every request, grant and audit record (and the Object Lock archive) from the audit account
    auditors = iam.Role(stack, "Auditors",
        role_name="elevated-access-auditor",
        permissions_boundary=boundary,
        assumed_by=iam.AccountPrincipal(host.account_id).with_conditions({"ArnLike": {
            "aws:PrincipalArn":
                f"arn:aws:iam::{host.account_id}:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_*",
        }}),
    )
    workflow.grant_audit(auditors)
    return workflow


# --- optimized.ts ------------------------------------------------------------------------------------------------


def example_access_analysis() -> LandingZoneAccessAnalysisOptions:
    """Unused access older than 90 days and every external access become findings in the audit account."""
    return LandingZoneAccessAnalysisOptions(
        unused_access_age=Duration.days(90),
        archive_rules=[
            AnalyzerArchiveRule.trusted_accounts(["acme-build"]),
            AnalyzerArchiveRule.expected_unused_roles(["lz-admin"]),
        ],
    )


def example_data_perimeter() -> LandingZoneDataPerimeterOptions:
    """The data perimeter on the whole organization, trusting Acme's build account, the retail organization and the
    acquired company."""
    return LandingZoneDataPerimeterOptions(
        identity_perimeter=IdentityPerimeterOptions(trusted_accounts=["acme-build"]),
        resource_perimeter=ResourcePerimeterOptions(trusted_accounts=["acquired-co-prod"],
                                                    trusted_organizations=["retail"]),
    )


def example_denied_action_alerts() -> LandingZoneDeniedActionOptions:
    """An alarm when one principal is refused 20 times in 5 minutes, in the company's regions."""
    return LandingZoneDeniedActionOptions(threshold=20, period=Duration.minutes(5),
                                          regions=["eu-central-1", "eu-west-1"])


# --- app.ts ------------------------------------------------------------------------------------------------------


def build_landing_zone(app: App) -> LandingZone:
    """Builds the example landing zone into `app` from the one organization model."""
    organization = example_organization()
    lz = LandingZone(app, "LandingZone",
        organization=organization,
        jump_account=example_jump_account(),
        root_guardrails=example_root_guardrails(),
        identity_center=LandingZoneIdentityCenterOptions(
            instance_arn=EXAMPLE_INSTANCE_ARN,
            identity_store_id=EXAMPLE_IDENTITY_STORE_ID,
            dynamic_assignments=True,
        ),
        access_analysis=example_access_analysis(),
        data_perimeter=example_data_perimeter(),
        denied_action_alerts=example_denied_action_alerts(),
    )
    catalog = lz.permission_set_catalog
    sets = example_permission_sets(catalog)
    example_standing_assignments(catalog, sets)

    # Security holds the jump account: the boundary only, no target roles
    lz.add_organizational_unit("Security")
    lz.add_organizational_unit("Sandbox", target_roles=SANDBOX_ROLES, guardrails=[example_region_guardrail()])
    # one baseline StackSet for Workloads reaches NonProd and Prod too, including accounts created there later
    lz.add_organizational_unit("Workloads", target_roles=WORKLOAD_ROLES, guardrails=[example_region_guardrail()])
    lz.add_organizational_unit("Workloads/Prod",
        deploy_baseline=False,  # the Workloads baseline reaches it
        assignments=[OrganizationalUnitAssignment(
            principal=IdentityCenterPrincipal.group_named("Developers"),
            permission_set=sets["read_only"],
            exclude_accounts=["payments-prod"],
        )],
    )
    lz.add_organizational_unit("Suspended", deploy_baseline=False, guardrails=[example_suspended_guardrail()])
    example_elevated_access(lz, sets)
    # break-glass keeps standing Admin: it is the way in when the workflow itself is down (LZ-EA2)
    Validations.of(lz.jump_account.group("break-glass")).acknowledge(Acknowledgment(
        id="LZ-EA2[Group::break-glass]",
        reason="break-glass must work when the elevated-access workflow does not"))

    # the rule pack gates every synth: findings are errors
    Validations.of(app).add_plugins(example_pack(organization))
    return lz


def example_pack(organization: Organization) -> LandingZoneChecks:
    """The rule pack as the example configures it (ReadOnly sessions may last 8 hours by design; an OU outside the
    data perimeter is an error, since the example attaches it to the root)."""
    return LandingZoneChecks(None, organization=organization, max_session_duration=Duration.hours(8),
                             require_data_perimeter=True)


# --- retail.ts ---------------------------------------------------------------------------------------------------


def build_retail_landing_zone(app: App) -> LandingZone:
    """The retail organization's own app, deployed from its management account: its root guardrails and the
    Workloads baseline, whose roles trust the company's jump account under the role names its groups expect (the
    manifest); the synth fails when it does not deploy one of them."""
    lz = LandingZone(app, "RetailLandingZone",
        organization=example_retail_organization(),
        stack_name_prefix="Retail",
        jump_account_manifest=JumpAccountManifest.from_file(JUMP_ACCOUNT_MANIFEST),
    )
    # ReadOnly is what the company's vendors and auditors switch into; Workloads/Prod is reached through Workloads
    lz.add_organizational_unit("Workloads", target_roles=[TargetRoleOptions(permission_level=PermissionLevel.read_only())])
    lz.add_organizational_unit("Security")
    return lz


if __name__ == "__main__":
    app = App()
    build_landing_zone(app)
    app.synth()
