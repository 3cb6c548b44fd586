"""The generated docstrings show Python: the package ships rosetta's tablet (.jsii.tabl.json), from which jsii-pacmak
takes a Python translation of every TypeScript example (README and `@example`)."""
import inspect
import re
import unittest

import cdk_iam_landing_zone as lz

# what only TypeScript has: declarations, `new`, camelCase object keys and method calls, arrow functions
TYPESCRIPT = re.compile(r"^\s*(const|let|import|export) |\bnew (\w+\.)*[A-Z]\w*\(|^\s*[a-z]+[A-Z]\w*: |\.[a-z]+[A-Z]\w*\(|=> ", re.M)


def examples():
    """(name, example) for every `Example::` block of the library's docstrings."""
    for name, obj in sorted(vars(lz).items()):
        doc = inspect.getdoc(obj) if inspect.isclass(obj) else None
        for block in re.findall(r"Example::\n\n((?:[ ]{4}.*\n?|\n)+)", doc or ""):
            yield name, block


class GeneratedDocstrings(unittest.TestCase):
    def test_every_example_is_python(self):
        found = list(examples())
        self.assertGreaterEqual(len(found), 5)  # Organization, RootDenyScp, LandingZoneChecks, PermissionSet, catalog
        for name, block in found:
            with self.subTest(cls=name):
                self.assertIsNone(TYPESCRIPT.search(block), f"{name} shows TypeScript:\n{block}")

    def test_the_organization_example_is_translated(self):
        self.assertIn('root_id="r-ab12"', inspect.getdoc(lz.Organization))

    def test_the_readme_quick_start_is_translated(self):
        # the module docstring is the README: its TypeScript blocks appear in Python (its Python blocks as they are)
        self.assertNotIn("const organization = new Organization({", lz.__doc__)
        self.assertNotIn("```ts", lz.__doc__)
