"""The Python example app (examples/python/app.py): it synthesizes with the rule pack clean, its templates hold what
the example promises, and they are the templates of the TypeScript example (examples/landing-zone), file for file."""
import difflib
import json
import pathlib
import subprocess
import sys
import unittest

from aws_cdk import App, Stack
from aws_cdk.assertions import Match, Template

from support import EXAMPLES, ROOT, outdir

sys.path.insert(0, str(EXAMPLES / "python"))
import app as example  # noqa: E402

STACKS = [
    "Lz-DeniedActionForwarding", "Lz-DeniedActionForwarding-eu-central-1", "Lz-DeniedActionForwarding-eu-west-1",
    "Lz-ElevatedAccess", "Lz-IdentityCenter", "Lz-JumpAccount",
    "Lz-JumpElevated-data-prod", "Lz-JumpElevated-payments-prod", "Lz-JumpElevated-shop-prod", "Lz-Management",
    "Lz-Ou-Sandbox", "Lz-Ou-Security", "Lz-Ou-Suspended", "Lz-Ou-Workloads", "Lz-SecurityTooling",
]
# construct-creation traces and the construct tree name the language; everything else must be identical
LANGUAGE_SPECIFIC = ("tree.json", ".metadata.json")


class PythonExampleApp(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.outdir = pathlib.Path(outdir("python-example-"))
        cls.app = App(outdir=str(cls.outdir))
        cls.lz = example.build_landing_zone(cls.app)
        cls.assembly = cls.app.synth()  # raises when the rule pack or a construct finds a problem
        cls.stacks = {s.stack_name: s for s in cls.app.node.find_all() if Stack.is_stack(s) and not s.nested}

    def template(self, name: str) -> Template:
        return Template.from_stack(self.stacks[name])

    def stack_set_body(self, name: str) -> dict:
        [stack_set] = self.template(name).find_resources("AWS::CloudFormation::StackSet").values()
        return json.loads(stack_set["Properties"]["TemplateBody"])

    def test_synthesizes_the_stacks_of_the_example(self):
        self.assertEqual(sorted(s.stack_name for s in self.assembly.stacks), STACKS)
        self.assertEqual(self.stacks["Lz-JumpAccount"].account, "111111111111")
        self.assertEqual(self.stacks["Lz-Ou-Workloads"].account, "000000000000")

    def test_the_rule_pack_finds_nothing(self):
        pack = example.example_pack(self.lz.organization)
        self.assertEqual([v.rule_name for v in pack.validate_scope(self.app).violations], [])

    def test_the_jump_account_has_the_groups_users_and_initial_passwords(self):
        t = self.template("Lz-JumpAccount")
        t.resource_count_is("AWS::IAM::Group", 5)  # acme, globex, auditors, break-glass and the group every user is in
        t.resource_count_is("AWS::IAM::User", 6)
        t.resource_count_is("AWS::SecretsManager::Secret", 5)  # acme-ci has no console password
        t.has_resource_properties("AWS::IAM::User", {"UserName": "acme-ci", "LoginProfile": Match.absent()})
        # switch-role links: acme 7, globex 5, auditors 10 (the retail organization's two accounts too), break-glass 7
        self.assertEqual(len(t.find_outputs("*")), 29)

    def test_every_target_role_is_bounded_and_needs_mfa_from_the_jump_account(self):
        roles = {r["Properties"]["RoleName"]: r for r in self.stack_set_body("Lz-Ou-Workloads")["Resources"].values()
                 if r["Type"] == "AWS::IAM::Role"}
        self.assertEqual(sorted(roles), ["lz-admin", "lz-power", "lz-read-only", "lz-ssm"])
        for name, role in roles.items():
            with self.subTest(role=name):
                [statement] = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
                self.assertEqual(statement["Principal"]["AWS"]["Fn::Join"][1][2], ":iam::111111111111:root")
                self.assertEqual(statement["Condition"]["Bool"], {"aws:MultiFactorAuthPresent": "true"})
                self.assertIn("PermissionsBoundary", role["Properties"])
        admin_condition = roles["lz-admin"]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Condition"]
        self.assertEqual(admin_condition["NumericLessThan"], {"aws:MultiFactorAuthAge": "3600"})

    def test_baselines_reach_accounts_created_later(self):
        self.template("Lz-Ou-Workloads").has_resource_properties("AWS::CloudFormation::StackSet", {
            "PermissionModel": "SERVICE_MANAGED",
            "AutoDeployment": {"Enabled": True, "RetainStacksOnAccountRemoval": False},
        })

    def test_guardrails_attach_to_the_root_and_the_ous(self):
        self.template("Lz-Management").has_resource_properties(
            "AWS::Organizations::Policy", {"Name": "Lz-root-guardrails", "TargetIds": ["r-ex01"]})
        self.template("Lz-Management").has_resource_properties(
            "AWS::Organizations::Policy", {"Name": "Lz-data-perimeter", "Type": "RESOURCE_CONTROL_POLICY",
                                           "TargetIds": ["r-ex01"]})
        self.template("Lz-Ou-Suspended").has_resource_properties(
            "AWS::Organizations::Policy", {"TargetIds": ["ou-ex01-suspend1"]})

    def test_elevated_access_runs_in_the_delegated_identity_center_account(self):
        self.assertEqual(self.stacks["Lz-ElevatedAccess"].account, "222222222202")  # audit, not the management account
        t = self.template("Lz-ElevatedAccess")
        t.resource_count_is("AWS::StepFunctions::StateMachine", 1)
        t.has_resource_properties("AWS::IAM::Role", {
            "RoleName": "elevated-access-auditor", "PermissionsBoundary": Match.any_value()})

    def test_the_access_report_shows_no_unbounded_or_mfa_free_jump_access_and_admin_only_by_request(self):
        entries = json.loads((self.outdir / "access-report.json").read_text())["entries"]
        jump = [e for e in entries if e["path"] == "jump-account-role"]
        self.assertTrue(jump and all(e["mfaEnforced"] for e in jump))
        # the one unbounded path is the acquired company's externally managed role, declared as such
        self.assertEqual([e["accountName"] for e in jump if not e["boundary"]], ["acquired-co-prod"])
        standing_admin = [e for e in entries if e["path"] == "permission-set-assignment" and e["level"] == "Admin"]
        self.assertEqual(standing_admin, [])
        self.assertTrue(any(e["path"] == "elevated-access" and e["level"] == "Admin" for e in entries))

    def test_the_retail_organization_deploys_its_own_baseline_trusting_the_jump_account(self):
        app = App(outdir=outdir("python-retail-"))
        lz = example.build_retail_landing_zone(app)
        assembly = app.synth()  # raises when a role the jump account's manifest expects is missing
        self.assertEqual(sorted(s.stack_name for s in assembly.stacks),
                         ["Retail-Management", "Retail-Ou-Security", "Retail-Ou-Workloads"])
        self.assertEqual(lz.jump_account_manifest.jump_account_id, "111111111111")

    def test_the_templates_are_those_of_the_typescript_example(self):
        # GIVEN the TypeScript example's main job, synthesized into its own directory
        ts_dir = pathlib.Path(outdir("typescript-example-"))
        subprocess.run(
            [str(ROOT / "node_modules" / ".bin" / "ts-node"), "--transpile-only", "--project",
             str(ROOT / "tsconfig.dev.json"), str(EXAMPLES / "landing-zone" / "main.ts")],
            cwd=ts_dir, check=True, capture_output=True, text=True)
        ts_out = ts_dir / "cdk.out"

        # THEN the same files with the same bytes, but for what names the language
        def files(d):
            return sorted(str(p.relative_to(d)) for p in d.rglob("*")
                          if p.is_file() and not p.name.endswith(LANGUAGE_SPECIFIC))
        self.assertEqual(files(self.outdir), files(ts_out))
        differing = sorted((f for f in files(ts_out) if (ts_out / f).read_bytes() != (self.outdir / f).read_bytes()),
                           key=lambda f: (not f.endswith(".template.json"), f))  # a template's diff first
        first = differing[0] if differing else None
        diff = "" if first is None else "\n".join(list(difflib.unified_diff(
            (ts_out / first).read_text().splitlines(), (self.outdir / first).read_text().splitlines(),
            "typescript/" + first, "python/" + first, lineterm=""))[:40])
        self.assertEqual(differing, [], "examples/python/app.py must mirror examples/landing-zone:\n" + diff)
