"""'Move the secret to the environment': per-language edits that still parse."""

from __future__ import annotations

import warnings

import pytest

from spillguard.engine.comments import ignore_comment, language_of, suppress_edit_column
from spillguard.engine.envfix import (
    EnvFixError,
    apply_edits,
    choose_env_key,
    dotenv_entries,
    env_name_for,
    gitignore_append_text,
    plan_env_move,
)
from spillguard.engine.validators import make_crc62_token

SECRET = make_crc62_token("ghp_", "Xk9Lm2Qp7Rt4Vw8Yz1Bc5Df3Gh6Jn0")


def _grammar(language: str):  # noqa: ANN202 - tree_sitter types
    import tree_sitter

    if language == "python":
        import tree_sitter_python as mod

        raw = mod.language()
    elif language == "javascript":
        import tree_sitter_javascript as mod

        raw = mod.language()
    elif language == "typescript":
        import tree_sitter_typescript as ts_mod

        raw = ts_mod.language_typescript()
    elif language == "go":
        import tree_sitter_go as mod

        raw = mod.language()
    elif language == "java":
        import tree_sitter_java as mod

        raw = mod.language()
    elif language == "ruby":
        import tree_sitter_ruby as mod

        raw = mod.language()
    elif language == "shell":
        import tree_sitter_bash as mod

        raw = mod.language()
    elif language in ("yaml", "compose", "github-actions"):
        import tree_sitter_yaml as mod

        raw = mod.language()
    elif language == "terraform":
        import tree_sitter_hcl as mod

        raw = mod.language()
    elif language == "dockerfile":
        import tree_sitter_dockerfile as mod

        raw = mod.language()
    else:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return tree_sitter.Language(raw)


def parses(language: str, text: str) -> bool:
    import tree_sitter

    grammar = _grammar(language)
    assert grammar is not None, f"no grammar for {language}"
    tree = tree_sitter.Parser(grammar).parse(text.encode())
    return not tree.root_node.has_error


def move(text: str, language: str, name: str = "", rule: str = "github-pat", path: str = "",
         env: str | None = None, gitignore: str | None = None):  # noqa: ANN201
    lines = text.split("\n")
    row = next(i for i, ln in enumerate(lines) if SECRET in ln)
    start = lines[row].index(SECRET)
    plan = plan_env_move(lines, language, row, start, start + len(SECRET), SECRET, name, rule,
                         path=path, existing_env=env, existing_gitignore=gitignore)
    return plan, apply_edits(text, plan.edits)


# (language, variable name, source, expected fixed text or a fragment of it)
CASES = [
    ("python", "TOKEN", f'import sys\n\nTOKEN = "{SECRET}"\n', 'import os\nimport sys\n\nTOKEN = os.environ["TOKEN"]\n'),
    ("python", "TOKEN", f'"""Doc."""\nfrom __future__ import annotations\nclient = Client(token="{SECRET}")\n',
     '"""Doc."""\nfrom __future__ import annotations\nimport os\nclient = Client(token=os.environ["TOKEN"])\n'),
    ("python", "TOKEN", f"import os\nheaders = {{'Authorization': f'Bearer {SECRET}'}}\n",
     "import os\nheaders = {'Authorization': f'Bearer ' + os.environ[\"TOKEN\"]}\n"),
    ("python", "", f'x = "{SECRET}"', 'import os\nx = os.environ["X"]'),
    ("javascript", "token", f'const token = "{SECRET}";\n', "const token = process.env.TOKEN;\n"),
    ("javascript", "TOKEN", f"fetch(url, {{ headers: {{ auth: `token {SECRET}` }} }});\n",
     "fetch(url, { headers: { auth: `token ` + process.env.TOKEN } });\n"),
    ("typescript", "token", f"const cfg: Config = {{ token: '{SECRET}' }};\n", "const cfg: Config = { token: process.env.TOKEN };\n"),
    ("go", "token", f'package main\n\nimport "fmt"\n\nconst token = "{SECRET}"\n\nfunc main() {{ fmt.Println(token) }}\n',
     'package main\n\nimport "fmt"\nimport "os"\n\nvar token = os.Getenv("TOKEN")\n'),
    ("go", "TOKEN", f'package main\n\nimport (\n\t"fmt"\n)\n\nfunc main() {{\n\tfmt.Println("Bearer {SECRET}")\n}}\n',
     'import (\n\t"os"\n\t"fmt"\n)\n\nfunc main() {\n\tfmt.Println("Bearer " + os.Getenv("TOKEN"))'),
    ("go", "key", f'package main\n\nvar key = `{SECRET}`\n', 'package main\n\nimport "os"\n\nvar key = os.Getenv("KEY")\n'),
    ("java", "TOKEN", f'class A {{\n  static final String TOKEN = "{SECRET}";\n}}\n',
     'static final String TOKEN = System.getenv("TOKEN");'),
    ("ruby", "access_token", f'client = Octokit::Client.new(access_token: "{SECRET}")\n',
     'client = Octokit::Client.new(access_token: ENV.fetch("ACCESS_TOKEN"))\n'),
    ("shell", "GITHUB_TOKEN", f"export GITHUB_TOKEN={SECRET}\n", 'export GITHUB_TOKEN="${GITHUB_TOKEN}"\n'),
    ("shell", "TOKEN", f'curl -H "Authorization: token {SECRET}" https://api.example.com\n',
     'curl -H "Authorization: token ${TOKEN}" https://api.example.com\n'),
    ("shell", "TOKEN", f"curl -H 'Authorization: token {SECRET}' https://api.example.com\n",
     "curl -H 'Authorization: token '\"${TOKEN}\" https://api.example.com\n"),
    ("github-actions", "TOKEN", f"jobs:\n  a:\n    runs-on: ubuntu-latest\n    env:\n      TOKEN: {SECRET}\n    steps:\n      - run: echo hi\n",
     "      TOKEN: ${{ secrets.TOKEN }}\n"),
    ("yaml", "token", f"services: {{api: {{token: {SECRET}}}}}\n", 'services: {api: {token: "${TOKEN}"}}\n'),
    ("compose", "GITHUB_TOKEN", f"services:\n  api:\n    environment:\n      - GITHUB_TOKEN={SECRET}\n",
     "      - GITHUB_TOKEN=${GITHUB_TOKEN}\n"),
    ("terraform", "token", f'provider "github" {{\n  token = "{SECRET}"\n}}\n',
     'provider "github" {\n  token = var.token\n}\n\nvariable "token" {\n  type      = string\n  sensitive = true\n}\n'),
    ("terraform", "auth", f'locals {{\n  auth = "Bearer {SECRET}"\n}}\n', '  auth = "Bearer ${var.auth}"\n'),
    # ENV keeps a value in the image: the variable goes, the container gets it at run time
    ("dockerfile", "GITHUB_TOKEN", f"FROM alpine\nENV GITHUB_TOKEN={SECRET}\nRUN echo hi\n",
     "FROM alpine\nRUN echo hi\n"),
    ("dockerfile", "GITHUB_TOKEN", f'FROM alpine\nENV MODE=prod GITHUB_TOKEN="{SECRET}" LANG=C\n',
     "FROM alpine\nENV MODE=prod LANG=C\n"),
    # RUN: a BuildKit secret, mounted as an environment variable for that RUN only
    ("dockerfile", "GITHUB_TOKEN", f'FROM alpine\nRUN curl -H "Authorization: token {SECRET}" \\\n  https://h.example.com\n',
     '# syntax=docker/dockerfile:1\nFROM alpine\nRUN --mount=type=secret,id=github_token,env=GITHUB_TOKEN '
     'curl -H "Authorization: token ${GITHUB_TOKEN}" \\\n  https://h.example.com\n'),
    ("dockerfile", "GITHUB_TOKEN", f'FROM alpine\nRUN apk add curl && \\\n  curl -u "x:{SECRET}" https://h.example.com\n',
     "RUN --mount=type=secret,id=github_token,env=GITHUB_TOKEN apk add curl && \\\n"
     '  curl -u "x:${GITHUB_TOKEN}" https://h.example.com\n'),
    # shell-form CMD: read from the container's environment
    ("dockerfile", "GITHUB_TOKEN", f"FROM alpine\nCMD gh auth login --with-token {SECRET}\n",
     "FROM alpine\nCMD gh auth login --with-token ${GITHUB_TOKEN}\n"),
]


@pytest.mark.parametrize(("language", "name", "source", "expected"), CASES)
def test_env_move_rewrites_and_still_parses(language: str, name: str, source: str, expected: str) -> None:
    plan, fixed = move(source, language, name=name)
    assert SECRET not in fixed
    assert expected in fixed, fixed
    assert parses(language, fixed), fixed
    assert plan.env_append is not None and SECRET in plan.env_append
    assert all(SECRET not in e.new_text for e in plan.edits)


def test_csharp_text_only_no_grammar_installed() -> None:
    # No C# tree-sitter grammar is installed here: check the text.
    src = f'using System.Net;\n\nclass A {{\n    const string Token = "{SECRET}";\n}}\n'
    plan, fixed = move(src, "csharp", name="Token")
    assert fixed == ('using System;\nusing System.Net;\n\nclass A {\n'
                     '    static readonly string Token = Environment.GetEnvironmentVariable("TOKEN");\n}\n')
    assert plan.env_append == f"TOKEN={SECRET}\n"


def test_env_file_reused_or_suffixed_never_duplicated() -> None:
    src = f'TOKEN = "{SECRET}"\n'
    plan, _ = move(src, "python", name="token", env=f"TOKEN={SECRET}\n")
    assert plan.env_append is None and plan.env_key == "TOKEN"
    plan, fixed = move(src, "python", name="token", env="TOKEN=other\n")
    assert plan.env_key == "TOKEN_2" and 'os.environ["TOKEN_2"]' in fixed
    assert plan.env_append == f"TOKEN_2={SECRET}\n"
    plan, fixed = move(src, "python", name="other", env=f"SAVED={SECRET}\n")
    assert plan.env_append is None and 'os.environ["SAVED"]' in fixed  # the value is there already
    plan, _ = move(src, "python", name="token", env="A=1")
    assert plan.env_append == f"\nTOKEN={SECRET}\n"


def test_gitignore() -> None:
    assert gitignore_append_text(None) == ".env\n"
    assert gitignore_append_text("node_modules/") == "\n.env\n"
    assert gitignore_append_text("*.log\n.env\n") is None
    assert gitignore_append_text(".env*\n") is None
    assert gitignore_append_text(".env\n!.env\n") == ".env\n"
    plan, _ = move(f'T = "{SECRET}"\n', "python", gitignore="/.env\n")
    assert plan.gitignore_append is None


def test_dotenv_parsing_and_quoting() -> None:
    assert dotenv_entries("# c\nexport A=1\nB='x y'\nC=\"q\\\"z\"\nD=v # note\n") == {
        "A": "1", "B": "x y", "C": 'q"z', "D": "v"}
    assert choose_env_key("A", "1", "A=1\n") == ("A", False)


def test_names_from_the_line() -> None:
    _, fixed = move(f'client = Client(apiKey="{SECRET}")\n', "javascript")
    assert "process.env.API_KEY" in fixed
    _, fixed = move(f"export DEPLOY_TOKEN='{SECRET}'\n", "shell")
    assert fixed == 'export DEPLOY_TOKEN="${DEPLOY_TOKEN}"\n'
    _, fixed = move(f'cfg = {{"gh_token": "{SECRET}"}}\n', "python")
    assert 'os.environ["GH_TOKEN"]' in fixed


def test_names() -> None:
    assert env_name_for("api-key.prod", "generic-api-key") == "API_KEY_PROD"
    assert env_name_for("", "github-pat") == "GITHUB_TOKEN"
    assert env_name_for("", "some-new-rule") == "SOME_NEW_RULE"
    plan, fixed = move(f"steps:\n  - run: gh api -H 'x: {SECRET}'\n", "github-actions")
    assert "${{ secrets.GH_TOKEN }}" in fixed  # GITHUB_* names are reserved by GitHub
    assert plan.env_key == "GH_TOKEN"
    plan, _ = move(f'provider "github" {{\n  token = "{SECRET}"\n}}\n', "terraform", name="token")
    assert plan.env_key == "TF_VAR_token"


@pytest.mark.parametrize(
    ("language", "source"),
    [
        ("python", f"# old token: {SECRET}\n"),
        ("javascript", f"// {SECRET}\n"),
        ("python", f'x = """\n{SECRET}\n"""\n'),
        ("terraform", f'token = "{SECRET}"\n'),
        ("json", f'{{"token": "{SECRET}"}}\n'),
    ],
)
def test_refuses_where_it_cannot_be_safe(language: str, source: str) -> None:
    path = "prod.tfvars" if language == "terraform" else ""
    with pytest.raises(EnvFixError) as err:
        move(source, language, path=path)
    assert SECRET not in str(err.value)


def test_refuses_stale_range() -> None:
    with pytest.raises(EnvFixError):
        plan_env_move(['x = "abc"'], "python", 0, 5, 8, SECRET, "", "github-pat")


def test_language_of() -> None:
    assert language_of("/r/.github/workflows/ci.yml", "yaml") == "github-actions"
    assert language_of("/r/docker-compose.yml", "yaml") == "compose"
    assert language_of("/r/compose.prod.yaml") == "compose"
    assert language_of("/r/Dockerfile") == "dockerfile"
    assert language_of("/r/.env.local", "plaintext") == "dotenv"
    assert language_of("/r/main.tf") == "terraform"
    assert language_of("/r/a.py", "python") == "python"
    assert language_of("/r/k8s.yaml") == "yaml"


@pytest.mark.parametrize(
    ("language", "line", "expected"),
    [
        ("python", 'x = "s"', 'x = "s"  # spillguard:ignore[r] <reason>'),
        ("javascript", 'const x = "s";', 'const x = "s";  // spillguard:ignore[r] <reason>'),
        ("html", "<a k='s'>", "<a k='s'>  <!-- spillguard:ignore[r] <reason> -->"),
        ("dockerfile", "RUN curl -u s", "RUN curl -u s  # spillguard:ignore[r] <reason>"),
    ],
)
def test_suppress_comment(language: str, line: str, expected: str) -> None:
    col = suppress_edit_column(language, line)
    assert col is not None
    assert line[:col] + "  " + (ignore_comment(language, "r") or "") == expected


def test_suppress_comment_refused_where_it_changes_meaning() -> None:
    assert suppress_edit_column("dockerfile", "ENV T=s") is None
    assert suppress_edit_column("python", "x = 's' \\") is None
    assert suppress_edit_column("json", '"t": "s"') is None


def test_suppressed_line_is_not_reported() -> None:
    from pathlib import Path

    from spillguard.engine.context import Context

    ctx = Context.build(Path("."))
    line = f'token = "{SECRET}"'
    assert ctx.analyze(line + "\n", "a.py")
    col = suppress_edit_column("python", line)
    assert col is not None
    fixed = line[:col] + "  " + (ignore_comment("python", "github-pat") or "") + "\n"
    # Ignoring the provider rule must not let a generic rule report the same secret instead.
    assert ctx.analyze(fixed, "a.py") == []


# ---- property: whatever surrounds the secret in a literal, the fix parses ----

from hypothesis import HealthCheck, event, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_words = st.text(alphabet="abcXYZ019 _-:/.@", max_size=8)
_LINES = {
    "python": ["{name} = {lit}", "cfg = {{'{name}': {lit}}}", "client = Client({name}={lit}, x=1)",
               "def f():\n    return {lit}"],
    "javascript": ["const {name} = {lit};", "const cfg = {{ {name}: {lit} }};", "fetch(u, {lit});"],
    "typescript": ["export const {name}: string = {lit};", "call({{ {name}: {lit} }});"],
    "go": ["package main\n\nfunc main() {{\n\t{name} := {lit}\n\t_ = {name}\n}}",
           "package main\n\nvar {name} = {lit}"],
    "java": ["class A {{\n  String {name} = {lit};\n}}"],
    "ruby": ["{name} = {lit}", "client = C.new({name}: {lit})"],
    "shell": ["export {name}={lit}", "curl -H {lit} https://h.example.com"],
    "github-actions": ["jobs:\n  a:\n    steps:\n      - run: echo {lit}\n        env:\n          {name}: {lit}"],
    "yaml": ["{name}: {lit}", "items:\n  - {{ {name}: {lit} }}"],
    "terraform": ['resource "a" "b" {{\n  {name} = {lit}\n}}', 'locals {{\n  {name} = {lit}\n}}'],
    "dockerfile": ["FROM alpine\nENV {name}={lit}", "FROM alpine\nRUN curl -H {lit} https://h.example.com"],
}
_QUOTES = {
    "python": ['"', "'", 'f"', "r'", '"""'],
    "javascript": ['"', "'", "`"],
    "typescript": ['"', "'", "`"],
    "go": ['"', "`"],
    "java": ['"'],
    "ruby": ['"', "'"],
    "shell": ['"', "'", ""],
    "github-actions": ['"', "'", ""],
    "yaml": ['"', "'", ""],
    "terraform": ['"'],
    "dockerfile": ['"', ""],
}


@st.composite
def literal_case(draw: st.DrawFn) -> tuple[str, str]:
    language = draw(st.sampled_from(sorted(_LINES)))
    template = draw(st.sampled_from(_LINES[language]))
    quote = draw(st.sampled_from(_QUOTES[language]))
    before = draw(_words) if quote else ""
    after = draw(_words) if quote else ""
    if language in ("yaml", "github-actions") and quote == "'":
        before, after = before.replace("'", ""), after.replace("'", "")
    closing = quote.lstrip("fr")
    lit = f"{quote}{before} {SECRET} {after}{closing}" if quote else SECRET
    name = draw(st.sampled_from(["token", "api_key", "authToken", "x"]))
    return language, template.format(name=name, lit=lit) + "\n"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(literal_case())
def test_env_move_parses_whatever_surrounds_the_secret(case: tuple[str, str]) -> None:
    language, source = case
    grammar = {"github-actions": "yaml"}.get(language, language)
    if not parses(grammar, source.replace(SECRET, "x")):
        event("generated source invalid")
        return  # the generated source itself is not valid: nothing to check
    lines = source.split("\n")
    for row, line in enumerate(lines):
        at = line.find(SECRET)
        while at != -1:
            try:
                plan = plan_env_move(lines, language, row, at, at + len(SECRET), SECRET, "", "github-pat")
            except EnvFixError:
                event(f"refused: {language}")
                break
            event(f"checked: {language}")
            fixed = apply_edits(source, plan.edits)
            assert fixed.count(SECRET) == source.count(SECRET) - 1, fixed
            assert parses(grammar, fixed), fixed
            at = line.find(SECRET, at + 1)


def test_suppress_refused_inside_strings_and_block_scalars() -> None:
    from spillguard.engine.comments import yaml_suppress_ok
    from spillguard.engine.envfix import line_ends_in_string

    assert line_ends_in_string(f'KEY = """{SECRET}', "python")
    assert not line_ends_in_string(f'KEY = "{SECRET}"  # note', "python")
    assert line_ends_in_string(f"const k = `{SECRET}", "javascript")
    assert not line_ends_in_string("it's # fine", "yaml")
    doc = ["config: |", f"  token={SECRET}", "steps:", "  - run: |", f"      curl -u {SECRET}", f"plain: {SECRET}"]
    assert not yaml_suppress_ok("yaml", doc, 1)  # inside `config: |` the # would be text
    assert yaml_suppress_ok("github-actions", doc, 4)  # a run script: # is a shell comment
    assert not yaml_suppress_ok("github-actions", doc, 1)
    assert yaml_suppress_ok("yaml", doc, 5)


@pytest.mark.parametrize(("source", "why"), [
    (f"FROM alpine\nARG GITHUB_TOKEN={SECRET}\n", "Dockerfile ARG"),
    (f'FROM alpine\nRUN ["curl", "-u", "{SECRET}", "https://h.example.com"]\n', "exec-form RUN"),
    (f"FROM alpine\nENV GITHUB_TOKEN={SECRET}\nRUN gh auth status --token $GITHUB_TOKEN\n", "used while building"),
    (f'FROM alpine\nENV GITHUB_TOKEN="Bearer {SECRET}"\n', "more than the secret"),
    (f"# syntax=docker/dockerfile:1.4\nFROM alpine\nRUN curl -u x:{SECRET} https://h.example.com\n", "syntax directive"),
    (f"FROM alpine\nLABEL token={SECRET}\n", "Dockerfile LABEL"),
])
def test_dockerfile_moves_that_would_leave_the_secret_in_the_image_are_refused(source: str, why: str) -> None:
    """A build argument or ENV value stays in the image; the move is refused, with the reason."""
    with pytest.raises(EnvFixError, match=why):
        move(source, "dockerfile", name="GITHUB_TOKEN")


def test_dockerfile_env_on_the_last_line_without_a_line_break() -> None:
    plan, fixed = move(f"FROM alpine\nENV GITHUB_TOKEN={SECRET}", "dockerfile", name="GITHUB_TOKEN")
    assert fixed == "FROM alpine\n" and parses("dockerfile", fixed)


def test_dockerfile_moves_say_how_to_build_or_run() -> None:
    plan, fixed = move(f"FROM alpine\nRUN curl -u x:{SECRET} https://h.example.com\n", "dockerfile", name="GITHUB_TOKEN")
    assert plan.hint == "build with --secret id=github_token,env=GITHUB_TOKEN (GITHUB_TOKEN set in the environment, e.g. from .env)"
    assert "ARG" not in fixed and "ENV" not in fixed
    plan, _ = move(f"FROM alpine\nENV GITHUB_TOKEN={SECRET}\n", "dockerfile", name="GITHUB_TOKEN")
    assert plan.hint == "give GITHUB_TOKEN to the container at run time: docker run --env-file .env"
