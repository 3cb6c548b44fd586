"""Every ```python block of README.md runs as written, in README order and in one namespace, as a reader would run
them one after the other (later snippets use the `organization` of the first). Read from the README itself, so a
README edit is tested."""
import re
import unittest

from aws_cdk import App

from support import README

FENCE = re.compile(r"^```python[^\n]*\n(.*?)^```", re.M | re.S)


def python_snippets():
    text = README.read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start(1)) + 1, m.group(1)) for m in FENCE.finditer(text)]


class ReadmePythonSnippets(unittest.TestCase):
    namespace: dict = {}

    def test_00_readme_has_python_snippets(self):
        # the quick start (organization, landing zone) and the CrossAccountRole section at least
        self.assertGreaterEqual(len(python_snippets()), 3)


def _snippet_test(index, line, code):
    def test(self):
        ns = ReadmePythonSnippets.namespace
        app_before = ns.get("app")
        # padded so that a traceback names the README line
        exec(compile("\n" * (line - 1) + code, str(README), "exec"), ns)
        app = ns.get("app")
        if app is not app_before and isinstance(app, App):
            # a snippet that builds an app must synthesize something (synth() is cached when the snippet called it)
            self.assertGreater(len(app.synth().stacks), 0, f"the snippet at README.md:{line} synthesizes no stack")
    test.__doc__ = f"README.md:{line}: the Python snippet runs as written"
    return test


for _i, (_line, _code) in enumerate(python_snippets(), start=1):
    setattr(ReadmePythonSnippets, f"test_{_i:02d}_readme_line_{_line}", _snippet_test(_i, _line, _code))
