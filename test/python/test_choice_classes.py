"""Choice classes cannot be subclassed from Python: their constructors are private, so jsii generates no initializer
and an instance of a subclass (or of the class itself) is refused at construction, on the user's line, instead of
failing later inside the library (`p._collect is not a function`). Their static factories keep working."""
import unittest

from aws_cdk import App, Stack
from aws_cdk.assertions import Template
from cdk_iam_landing_zone import (
    AccountDefinition, AccountSelection, ApprovalRequirement, AssignmentPlacement, ChatApprovals, Guardrail,
    GuardrailPolicies, GuardrailTarget, IdentityCenterPrincipal, JumpPrincipal, NoticeChannel, Organization,
    OrganizationalUnitDefinition, PermissionLevel, PermissionSetBoundary,
)

CHOICE_CLASSES = [
    AccountSelection, GuardrailTarget, IdentityCenterPrincipal, ApprovalRequirement, PermissionSetBoundary,
    PermissionLevel, Guardrail, NoticeChannel, ChatApprovals, JumpPrincipal, AssignmentPlacement,
]

# what the jsii Python runtime raises for an instance it has no JavaScript object for
NOT_CONSTRUCTIBLE = r"object has no attribute '__jsii_ref__'"


def organization() -> Organization:
    return Organization(
        root_id="r-ab12",
        management_account=AccountDefinition(account_id="000000000000", name="management"),
        organizational_units=[
            OrganizationalUnitDefinition(path="Workloads", ou_id="ou-ab12-11111111"),
            OrganizationalUnitDefinition(path="Workloads/Prod", ou_id="ou-ab12-22222222"),
        ],
        accounts=[
            AccountDefinition(account_id="222222222222", name="app-dev", organizational_unit="Workloads"),
            AccountDefinition(account_id="333333333333", name="app-prod", organizational_unit="Workloads/Prod",
                              tags={"env": "prod"}),
        ],
    )


class ChoiceClassesCannotBeSubclassed(unittest.TestCase):
    def test_fails_when_a_python_subclass_is_instantiated(self):
        for cls in CHOICE_CLASSES:
            with self.subTest(cls=cls.__name__):
                # GIVEN a subclass that overrides what it can see
                sub = type(f"My{cls.__name__}", (cls,), {"describe": lambda self: "mine"})
                # WHEN / THEN
                with self.assertRaisesRegex(AttributeError, f"'My{cls.__name__}' {NOT_CONSTRUCTIBLE}"):
                    sub()

    def test_fails_when_a_choice_class_is_instantiated_directly(self):
        for cls in CHOICE_CLASSES:
            with self.subTest(cls=cls.__name__):
                with self.assertRaisesRegex(AttributeError, NOT_CONSTRUCTIBLE):
                    cls()

    def test_the_generated_classes_have_no_initializer(self):
        # the reason for the above: a private TypeScript constructor is no jsii initializer
        for cls in CHOICE_CLASSES:
            with self.subTest(cls=cls.__name__):
                self.assertIs(cls.__init__, object.__init__)


class FactoriesWork(unittest.TestCase):
    def test_account_selection(self):
        org = organization()
        names = lambda selection: [a.name for a in selection.resolve(org)]  # noqa: E731
        self.assertEqual(names(AccountSelection.accounts(["app-dev"])), ["app-dev"])
        self.assertEqual(names(AccountSelection.organizational_units(["Workloads"])), ["app-dev", "app-prod"])
        self.assertEqual(names(AccountSelection.organizational_units(["Workloads"], recursive=False)), ["app-dev"])
        self.assertEqual(names(AccountSelection.tagged("env", "prod")), ["app-prod"])
        self.assertEqual(names(AccountSelection.all_member_accounts(exclude_accounts=["app-prod"])), ["app-dev"])
        union = AccountSelection.union([AccountSelection.accounts(["app-dev"]), AccountSelection.tagged("env", "prod")])
        self.assertEqual(names(union), ["app-dev", "app-prod"])
        self.assertEqual(AccountSelection.organizational_units(["Workloads/Prod"]).organizational_unit_paths,
                         ["Workloads/Prod"])
        self.assertEqual(union.describe(), "accounts:app-dev + tag:env=prod")

    def test_account_selection_reports_unknown_names(self):
        with self.assertRaisesRegex(RuntimeError, r"account 'nope' is not defined in the organization"):
            AccountSelection.accounts(["nope"]).resolve(organization())

    def test_guardrail_target(self):
        self.assertEqual(GuardrailTarget.organization_root().describe(), "root")
        self.assertEqual(GuardrailTarget.organizational_units(["Workloads"]).describe(), "ou:Workloads")
        self.assertEqual(GuardrailTarget.accounts(["app-dev"]).describe(), "accounts:app-dev")

    def test_identity_center_principal(self):
        group = IdentityCenterPrincipal.group_named("Platform Admins")
        self.assertEqual((group.principal_type, group.describe()), ("GROUP", "group 'Platform Admins'"))
        user = IdentityCenterPrincipal.user("906720aa1c-5d1e3b2f-1111-2222-3333-444455556666")
        self.assertEqual(user.principal_type, "USER")
        self.assertEqual(user.describe(), "user id '906720aa1c-5d1e3b2f-1111-2222-3333-444455556666'")

    def test_approval_requirement(self):
        self.assertEqual(ApprovalRequirement.none().approvals, 0)
        self.assertEqual(ApprovalRequirement.any_one().approvals, 1)
        quorum = ApprovalRequirement.quorum(2)
        self.assertEqual((quorum.approvals, quorum.describe()), (2, "2 distinct approvers"))

    def test_permission_set_boundary(self):
        self.assertEqual(PermissionSetBoundary.landing_zone().customer_managed_policy_reference.name,
                         "lz-permissions-boundary")
        custom = PermissionSetBoundary.customer_managed_policy(name="my-boundary")
        self.assertEqual(custom.describe(), "customer-managed policy '/my-boundary'")
        self.assertIsNone(PermissionSetBoundary.aws_managed_policy("PowerUserAccess").customer_managed_policy_reference)
        self.assertEqual(PermissionSetBoundary.none().describe(), "no boundary")

    def test_permission_level_and_guardrail(self):
        self.assertEqual(PermissionLevel.read_only().role_name(), "lz-read-only")
        self.assertEqual(Guardrail.deny_root_user().name, "DenyRootUser")

    def test_factory_made_choices_drive_a_construct(self):
        # GIVEN
        stack = Stack(App(), "Management", env={"account": "000000000000"})
        # WHEN
        GuardrailPolicies(stack, "Guardrails", organization=organization(),
                          targets=[GuardrailTarget.organizational_units(["Workloads"]),
                                   GuardrailTarget.accounts(["app-dev"])],
                          guardrails=[Guardrail.deny_leaving_organization()])
        # THEN
        Template.from_stack(stack).has_resource_properties("AWS::Organizations::Policy", {
            "Type": "SERVICE_CONTROL_POLICY",
            "TargetIds": ["ou-ab12-11111111", "222222222222"],
        })
