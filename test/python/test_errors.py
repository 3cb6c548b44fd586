"""A user's mistake reaches a Python program as a RuntimeError that names the field, the value and what is expected,
raised at the user's own line (not deep in a later synth)."""
import unittest

from aws_cdk import App, Stack
from cdk_iam_landing_zone import (
    AccountDefinition, CrossAccountRole, JumpAccount, Organization, OrganizationalUnitDefinition, PermissionLevel,
)


class BadAccountId(unittest.TestCase):
    def test_fails_when_an_account_id_is_not_12_digits(self):
        # WHEN / THEN
        with self.assertRaises(RuntimeError) as raised:
            Organization(
                root_id="r-ab12",
                management_account=AccountDefinition(account_id="000000000000", name="management"),
                organizational_units=[OrganizationalUnitDefinition(path="Workloads", ou_id="ou-ab12-11111111")],
                accounts=[AccountDefinition(account_id="12345", name="app-dev", organizational_unit="Workloads")],
            )
        self.assertEqual(
            str(raised.exception),
            "Organization: 1 problem:\n  - accounts[0].accountId: account id '12345' must be 12 digits",
        )

    def test_fails_when_an_imported_jump_account_id_is_not_12_digits(self):
        # GIVEN
        stack = Stack(App(), "Target", env={"account": "222222222222"})
        # WHEN / THEN: the construct path, the field, the value and what is expected
        with self.assertRaisesRegex(RuntimeError, r"^(Error: )?Target/Jump: accountId: account id '1111' must be 12 digits$"):
            JumpAccount.from_account_id(stack, "Jump", "1111")

    def test_a_valid_imported_jump_account_takes_roles(self):
        stack = Stack(App(), "Target", env={"account": "222222222222"})
        jump = JumpAccount.from_account_id(stack, "Jump", "111111111111")
        role = CrossAccountRole(stack, "ReadOnly", jump_account=jump, permission_level=PermissionLevel.read_only())
        self.assertEqual(jump.account_id, "111111111111")
        self.assertEqual(role.role_name, "lz-read-only")

    def test_fails_when_a_dict_inside_a_list_stands_for_a_struct(self):
        # jsii turns a dict into a struct only where the parameter itself is a struct; inside a list the dict reaches
        # the library as it is, and its snake_case keys are not the struct's fields: hence struct classes in lists
        with self.assertRaisesRegex(RuntimeError, r"Missing required properties for cdk-iam-landing-zone\.AccountDefinition"):
            Organization(
                root_id="r-ab12",
                management_account={"account_id": "000000000000", "name": "management"},  # converted: a struct parameter
                organizational_units=[],
                accounts=[{"account_id": "222222222222", "name": "app-dev"}],  # not converted: inside a list
            )
