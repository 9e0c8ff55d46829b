""""Move the secret to the environment": the edits, per language.

Pure functions over the document's lines, the secret's range (0-based line,
code-point columns, end exclusive) and the value read from that range. Nothing
here scans for secrets again: the range comes from the finding; this module
only looks around it (quotes, comment markers, imports) to write code that
still parses.

The plan has three parts that the caller puts in one workspace edit:
- `edits`: the document's own edits (the literal → the language's lookup, plus
  an import or declaration where the lookup needs one);
- `env_append`: the `NAME=value` line(s) for the workspace's `.env` (None when
  that exact entry is already there);
- `gitignore_append`: text that makes git ignore `.env` (None when it already does).
The value appears only in `env_append`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pathspec

from .comments import comment_syntax
from .findings import TextEdit

# Languages whose env move replaces a string literal in code.
CODE_LANGUAGES = frozenset({"python", "javascript", "typescript", "go", "java", "csharp", "ruby"})
# Languages whose fix writes a `${NAME}` reference where the secret was.
SUBSTITUTION_LANGUAGES = frozenset({"yaml", "compose", "dockerfile", "dotenv"})
SUPPORTED_LANGUAGES = CODE_LANGUAGES | SUBSTITUTION_LANGUAGES | {"shell", "github-actions", "terraform"}

# Conventional variable names for well-known providers, by rule id prefix.
_RULE_NAMES = (
    ("github", "GITHUB_TOKEN"),
    ("gitlab", "GITLAB_TOKEN"),
    ("aws-access-key", "AWS_ACCESS_KEY_ID"),
    ("aws-secret", "AWS_SECRET_ACCESS_KEY"),
    ("aws", "AWS_SECRET_ACCESS_KEY"),
    ("slack-webhook", "SLACK_WEBHOOK_URL"),
    ("slack", "SLACK_TOKEN"),
    ("stripe", "STRIPE_SECRET_KEY"),
    ("openai", "OPENAI_API_KEY"),
    ("anthropic", "ANTHROPIC_API_KEY"),
    ("google", "GOOGLE_API_KEY"),
    ("gcp", "GOOGLE_APPLICATION_CREDENTIALS"),
    ("npm", "NPM_TOKEN"),
    ("pypi", "PYPI_TOKEN"),
    ("huggingface", "HF_TOKEN"),
    ("sendgrid", "SENDGRID_API_KEY"),
    ("twilio", "TWILIO_AUTH_TOKEN"),
    ("jwt", "JWT_TOKEN"),
    ("postgres", "DATABASE_URL"),
    ("mysql", "DATABASE_URL"),
    ("mongodb", "MONGODB_URI"),
    ("redis", "REDIS_URL"),
    ("amqp", "AMQP_URL"),
    ("private-key", "PRIVATE_KEY"),
    ("generic-password", "PASSWORD"),
)


class EnvFixError(ValueError):
    """The env move cannot be offered here; the message says why (never the value)."""


@dataclass(frozen=True, slots=True)
class EnvMove:
    name: str  # the variable the code now reads
    env_key: str  # the key written to .env (Terraform: TF_VAR_name)
    edits: tuple[TextEdit, ...]
    env_append: str | None
    gitignore_append: str | None
    hint: str = ""  # what the user must do next, when the file alone cannot say (Dockerfiles)


def env_identifier(raw: str) -> str:
    """`api-key.prod` → `API_KEY_PROD`: a valid environment variable name."""
    name = re.sub(r"[^A-Za-z0-9_]+", "_", raw).strip("_").upper()
    if not name:
        return ""
    if name[0].isdigit():
        name = "_" + name
    return name


def env_name_for(name: str, rule_id: str) -> str:
    """The finding's variable/key name, else a conventional name for its rule."""
    if name and env_identifier(name):
        return env_identifier(name)
    for prefix, conventional in _RULE_NAMES:
        if rule_id.startswith(prefix):
            return conventional
    return env_identifier(rule_id) or "SECRET"


_ASSIGNED = re.compile(
    r"""(?:^|[\s{(,;\[]|(?<=\$))["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?"""
    r"""(?:\s*:\s*[A-Za-z_][\w.<>\[\], |]*?)?\s*(?::=|=>|=|:)\s*(?:\[?\s*)$"""
)


def assigned_name(line: str, upto: int) -> str:
    """The variable or key a value is assigned to on its line (`token = "…"`,
    `"apiKey": "…"`, `TOKEN: …`, `- TOKEN=…`, `Client(token="…")`), or ""."""
    m = _ASSIGNED.search(line[:upto])
    if not m:
        return ""
    name = m.group(1).rsplit(".", 1)[-1]
    # camelCase → CAMEL_CASE before making it an identifier
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)


def actions_secret_name(name: str) -> str:
    """GitHub rejects secret names starting with GITHUB_ (and `secrets.GITHUB_TOKEN`
    is the workflow's own token): rename those to GH_…"""
    if name.upper().startswith("GITHUB_"):
        return "GH_" + name[len("GITHUB_"):]
    return name


# ---- .env and .gitignore -------------------------------------------------

_DOTENV_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*?)\s*$")
_PLAIN_VALUE = re.compile(r"^[A-Za-z0-9_\-.:/+=@%~,]*$")


def _dotenv_unquote(raw: str) -> str:
    if raw.startswith("'"):
        end = raw.find("'", 1)
        return raw[1:end] if end > 0 else raw[1:]
    if raw.startswith('"'):
        out: list[str] = []
        i = 1
        while i < len(raw):
            c = raw[i]
            if c == "\\" and i + 1 < len(raw):
                nxt = raw[i + 1]
                out.append({"n": "\n", "t": "\t"}.get(nxt, nxt))
                i += 2
                continue
            if c == '"':
                break
            out.append(c)
            i += 1
        return "".join(out)
    return re.sub(r"\s+#.*$", "", raw)


def dotenv_entries(text: str) -> dict[str, str]:
    """KEY → value of a .env file (the last assignment wins, as in dotenv loaders)."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            continue
        m = _DOTENV_LINE.match(line)
        if m:
            out[m.group(1)] = _dotenv_unquote(m.group(2))
    return out


def dotenv_quote(value: str) -> str:
    if _PLAIN_VALUE.match(value):
        return value
    if "'" not in value:
        return "'" + value + "'"  # single quotes: no interpolation, no escapes
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$") + '"'


def _key_holding(value: str, existing_env: str | None, prefix: str) -> str:
    for key, held in dotenv_entries(existing_env or "").items():
        if held == value and key.startswith(prefix) and len(key) > len(prefix):
            return key
    return ""


def choose_env_key(base: str, value: str, existing_env: str | None) -> tuple[str, bool]:
    """(key, needs_append): reuse `base` when .env holds the same value, never
    overwrite a different one (take BASE_2, BASE_3… instead)."""
    entries = dotenv_entries(existing_env or "")
    key, n = base, 1
    while key in entries:
        if entries[key] == value:
            return key, False
        n += 1
        key = f"{base}_{n}"
    return key, True


def dotenv_append_text(existing_env: str | None, key: str, value: str) -> str:
    lead = "" if not existing_env or existing_env.endswith("\n") else "\n"
    return f"{lead}{key}={dotenv_quote(value)}\n"


def gitignore_append_text(existing: str | None, name: str = ".env") -> str | None:
    """Text to append so git ignores `name` at the root, or None when it already does."""
    lines = (existing or "").splitlines()
    if pathspec.GitIgnoreSpec.from_lines(lines).match_file(name):
        return None
    lead = "" if not existing or existing.endswith("\n") else "\n"
    return f"{lead}{name}\n"


# ---- reading the line around the secret ----------------------------------


@dataclass(frozen=True, slots=True)
class _Literal:
    start: int  # column of the opening quote (including a prefix like f, r, b, $, @)
    quote_start: int  # column of the opening quote itself
    end: int  # column just past the closing quote
    quote: str  # the quote as written: ", ', `, \"\"\" or '''
    prefix: str


_PREFIX_CHARS = {
    "python": "rRbBuUfF",
    "csharp": "$@",
}


def _string_state(line: str, upto: int, comment: str | None, quotes: str) -> tuple[str, int, str | None]:
    """Scan `line` up to column `upto`: ("code"|"string"|"comment", where the string
    opened, the quote). Backslash escapes inside strings; triple quotes for Python."""
    i = 0
    while i < upto:
        c = line[i]
        if comment and line.startswith(comment, i):
            return "comment", i, None
        if c in quotes:
            q = line[i : i + 3] if line[i : i + 3] in ('"""', "'''") else c
            start = i
            i += len(q)
            while i < len(line):
                if line[i] == "\\" and q != "`":
                    i += 2
                    continue
                if line.startswith(q, i):
                    break
                i += 1
            if i >= upto:
                return "string", start, q
            i += len(q)
            continue
        i += 1
    return "code", -1, None


def _find_literal(line: str, start: int, end: int, language: str) -> _Literal | None:
    syntax = comment_syntax(language)
    comment = syntax.start if syntax else None
    quotes = "\"'`" if language in ("javascript", "typescript", "go", "shell") else "\"'"
    if language == "ruby":
        quotes = "\"'"
    state, qs, q = _string_state(line, start, comment, quotes)
    if state != "string" or q is None:
        return None
    # The closing quote after the secret.
    i = end
    while i < len(line):
        if line[i] == "\\" and q != "`":
            i += 2
            continue
        if line.startswith(q, i):
            prefix_start = qs
            allowed = _PREFIX_CHARS.get(language, "")
            while prefix_start > 0 and line[prefix_start - 1] in allowed:
                prefix_start -= 1
            if prefix_start > 0 and (line[prefix_start - 1].isalnum() or line[prefix_start - 1] == "_"):
                prefix_start = qs  # an identifier, not a string prefix
            return _Literal(prefix_start, qs, i + len(q), q, line[prefix_start:qs])
        i += 1
    return None


def line_ends_in_string(line: str, language: str) -> bool:
    """Does `line` end inside a string literal (a multi-line string goes on)?
    A comment appended there would become part of the string."""
    if language not in CODE_LANGUAGES and language not in ("shell", "terraform"):
        return False
    syntax = comment_syntax(language)
    quotes = "\"'`" if language in ("javascript", "typescript", "go", "shell") else "\"'"
    body = line.rstrip("\r\n")
    state, _, _ = _string_state(body + " ", len(body) + 1, syntax.start if syntax else None, quotes)
    return state == "string"


def _in_comment(line: str, upto: int, language: str) -> bool:
    syntax = comment_syntax(language)
    if syntax is None:
        return False
    if language in ("shell", "dockerfile", "dotenv", "yaml", "compose", "github-actions"):
        # `#` starts a comment only at the start of a word in these languages.
        state, _, _ = _string_state(line, upto, None, "\"'")
        if state == "string":
            return False
        return re.search(r"(^|\s)#", line[:upto]) is not None
    state, _, _ = _string_state(line, upto, syntax.start, "\"'`")
    return state == "comment"


# ---- per-language lookups ------------------------------------------------


def _lookup(language: str, name: str) -> str:
    return {
        "python": f'os.environ["{name}"]',
        "javascript": f"process.env.{name}",
        "typescript": f"process.env.{name}",
        "go": f'os.Getenv("{name}")',
        "java": f'System.getenv("{name}")',
        "csharp": f'Environment.GetEnvironmentVariable("{name}")',
        "ruby": f'ENV.fetch("{name}")',
    }[language]


def _split_literal(line: str, lit: _Literal, start: int, end: int, lookup: str) -> TextEdit | None:
    """Replace the secret inside a string literal with `lookup`, splitting the
    literal into "before" + lookup + "after" (dropping empty parts)."""
    open_q = lit.prefix + lit.quote
    before = line[lit.quote_start + len(lit.quote) : start]
    after = line[end : lit.end - len(lit.quote)]
    parts: list[str] = []
    if before:
        parts.append(open_q + before + lit.quote)
    parts.append(lookup)
    if after:
        parts.append(open_q + after + lit.quote)
    return None if not parts else TextEdit(0, lit.start, 0, lit.end, " + ".join(parts))


def _python_import(lines: Sequence[str]) -> TextEdit | None:
    if any(re.match(r"import\s+(?:[\w.]+(?:\s+as\s+\w+)?\s*,\s*)*os\s*(?:,|#|;|$)", ln) for ln in lines):
        return None
    i = 0
    n = len(lines)
    # Shebang, encoding line, comments, blank lines.
    while i < n and (not lines[i].strip() or lines[i].lstrip().startswith("#")):
        i += 1
    # Module docstring.
    if i < n:
        m = re.match(r"[rRuU]?(\"\"\"|'''|\"|')", lines[i].lstrip())
        if m:
            q = m.group(1)
            rest = lines[i].lstrip()[m.end() :]
            if len(q) == 1 or q in rest:
                i += 1
            else:
                j = i + 1
                while j < n and q not in lines[j]:
                    j += 1
                i = j + 1
    insert_at = i
    for j in range(i, n):
        if re.match(r"from\s+__future__\s+import\b", lines[j]):
            insert_at = j + 1
    insert_at = min(insert_at, n)
    if insert_at >= n:
        last = lines[-1] if lines else ""
        if not lines:
            return TextEdit(0, 0, 0, 0, "import os\n")
        return TextEdit(n - 1, len(last), n - 1, len(last), "\nimport os\n")
    return TextEdit(insert_at, 0, insert_at, 0, "import os\n")


def _go_import(lines: Sequence[str]) -> TextEdit | None:
    if any(re.match(r'\s*(?:import\s+)?(?:_\s+)?"os"\s*(?://.*)?$', ln) for ln in lines):
        return None
    for i, ln in enumerate(lines):
        if re.match(r"import\s*\(\s*$", ln):
            return TextEdit(i + 1, 0, i + 1, 0, '\t"os"\n')
    for i, ln in enumerate(lines):
        if re.match(r"import\s+(?:\w+\s+)?\"", ln):
            return TextEdit(i + 1, 0, i + 1, 0, 'import "os"\n')
    for i, ln in enumerate(lines):
        if re.match(r"package\s+\w+", ln):
            return TextEdit(i + 1, 0, i + 1, 0, '\nimport "os"\n')
    return None


def _csharp_using(lines: Sequence[str]) -> TextEdit | None:
    if any(re.match(r"\s*(?:global\s+)?using\s+System\s*;", ln) for ln in lines):
        return None
    for i, ln in enumerate(lines):
        if re.match(r"\s*using\s+[\w.]+\s*;", ln):
            return TextEdit(i, 0, i, 0, "using System;\n")
    return TextEdit(0, 0, 0, 0, "using System;\n")


def _const_to_runtime(line: str, row: int, upto: int, language: str) -> TextEdit | None:
    """Go `const x = os.Getenv(…)` and C# `const string x = Environment…` do not
    compile: a constant needs a constant value. Make the declaration a variable."""
    m = re.match(r"(\s*)const(\s)", line[:upto])
    if not m:
        m = re.search(r"\bconst(\s)", line[:upto]) if language == "csharp" else None
        if not m:
            return None
        s = m.start()
    else:
        s = m.end(1)
    new = "var" if language == "go" else "static readonly"
    return TextEdit(row, s, row, s + len("const"), new)


def _yaml_needs_quotes(line: str, start: int) -> bool:
    """An unquoted `${…}` inside a YAML flow collection would end it at `}`."""
    depth = 0
    state = "code"
    for c in line[:start]:
        if state == "code":
            if c in "[{":
                depth += 1
            elif c in "]}":
                depth -= 1
            elif c in "\"'":
                state = c
        elif c == state:
            state = "code"
    return depth > 0


def _substitute(line: str, start: int, end: int, ref: str, language: str) -> str:
    """The text replacing the secret in YAML-like files: `ref`, quoted when needed."""
    if language in ("yaml", "compose", "github-actions"):
        state, _, _ = _string_state(line, start, None, "\"'")
        if state == "code" and _yaml_needs_quotes(line, start):
            return f'"{ref}"'
    return ref


def _shell_replacement(line: str, start: int, end: int, name: str) -> tuple[int, int, str]:
    state, qs, q = _string_state(line, start, None, "\"'")
    ref = "${" + name + "}"
    if state == "string" and q == '"':
        return start, end, ref
    if state == "string" and q == "'":
        # Close the single quotes around a double-quoted reference.
        close = line.find("'", end)
        s, e, text = start, end, "'\"" + ref + "\"'"
        if qs == start - 1:  # nothing before the secret in the quotes
            s, text = qs, text[1:]
        if close == end:  # nothing after
            e, text = close + 1, text[:-1]
        return s, e, text
    return start, end, '"' + ref + '"'


_DOCKER_INSTRUCTION = re.compile(r"[ \t]*([A-Za-z]+)([ \t]+|$)")
_DOCKER_SYNTAX = re.compile(r"#\s*syntax\s*=\s*(\S+)", re.IGNORECASE)


def _frontend_has_secret_env(image: str) -> bool:
    """`env=` on secret mounts needs Dockerfile frontend 1.10 or later (`docker/dockerfile:1` is the latest 1.x)."""
    m = re.fullmatch(r"(?:docker\.io/)?docker/dockerfile:1(?:\.(\d+)(?:\.\d+)?)?(?:-labs)?", image)
    return m is not None and (m.group(1) is None or int(m.group(1)) >= 10)


def _dockerfile_move(lines: Sequence[str], row: int, start: int, end: int, name: str) -> tuple[list[TextEdit], str]:
    """Edits that take a secret out of a Dockerfile, and what the user must do next.

    A build argument or an ENV value stays in the image (its history or its
    config), so neither is where a secret goes: in a RUN instruction the secret
    becomes a BuildKit secret mounted as an environment variable for that RUN
    only; in a shell-form CMD or ENTRYPOINT it is read from the container's
    environment at run time; in an ENV instruction the variable is removed and
    given at run time. Elsewhere the move is not offered."""
    top = row
    while top > 0 and lines[top - 1].rstrip("\r\n").endswith("\\"):
        top -= 1
    head = _DOCKER_INSTRUCTION.match(lines[top])
    instr = head.group(1).upper() if head else ""
    line = lines[row].rstrip("\r\n")
    if instr in ("RUN", "CMD", "ENTRYPOINT"):
        assert head is not None
        if lines[top][head.end():].lstrip().startswith("["):
            raise EnvFixError(f"exec-form {instr} does not expand variables")
        edits = [TextEdit(row, start, row, end, _substitute(line, start, end, "${" + name + "}", "dockerfile"))]
        if instr != "RUN":
            return edits, f"give {name} to the container at run time: docker run --env-file .env"
        sid = name.lower()
        mount = f"--mount=type=secret,id={sid},env={name}"
        if mount not in lines[top]:
            edits.append(TextEdit(top, head.end(), top, head.end(), mount + " "))
        directive = next((m for m in map(_DOCKER_SYNTAX.match, lines[:5]) if m), None)
        if directive is None:
            edits.append(TextEdit(0, 0, 0, 0, "# syntax=docker/dockerfile:1\n"))
        elif not _frontend_has_secret_env(directive.group(1)):
            raise EnvFixError("the syntax directive pins a frontend that may not know secret mounts with env=")
        return edits, f"build with --secret id={sid},env={name} ({name} set in the environment, e.g. from .env)"
    if instr == "ENV" and top == row and not line.rstrip().endswith("\\"):
        later = "\n".join(lines[row + 1:])
        if re.search(r"\$\{?" + re.escape(name) + r"\b", later):
            raise EnvFixError(f"{name} is also used while building: pass it as a BuildKit secret instead")
        pair = re.compile(r"[ \t]+" + re.escape(name) + r"""[= ][ \t]*("[^"]*"|'[^']*'|\S+)""")
        found = [m for m in pair.finditer(line) if m.start(1) <= start and end <= m.end(1)]
        if not found:
            raise EnvFixError("the secret is not the value of one ENV variable")
        m = found[0]
        if m.group(1).strip("\"'") != line[start:end]:
            raise EnvFixError("the ENV value holds more than the secret")
        rest = (line[:m.start()] + line[m.end():]).strip()
        if rest.upper() == "ENV":  # the only variable: the instruction goes (its line too, unless last)
            gone = TextEdit(row, 0, row + 1, 0, "") if row + 1 < len(lines) else TextEdit(row, 0, row, len(line), "")
            return [gone], f"give {name} to the container at run time: docker run --env-file .env"
        return [TextEdit(row, m.start(), row, m.end(), "")], f"give {name} to the container at run time: docker run --env-file .env"
    raise EnvFixError(f"a secret in a Dockerfile {instr or 'line'} cannot be read from the environment")


def _terraform_variable(lines: Sequence[str], var: str) -> TextEdit | None:
    if any(re.match(rf'\s*variable\s+"{re.escape(var)}"', ln) for ln in lines):
        return None
    block = f'variable "{var}" {{\n  type      = string\n  sensitive = true\n}}\n'
    if not lines:
        return TextEdit(0, 0, 0, 0, block)
    last = len(lines) - 1
    col = len(lines[last])
    if lines[last].strip():
        lead = "\n\n"
    elif last > 0 and lines[last - 1].strip():
        lead = "\n"
    else:
        lead = ""
    return TextEdit(last, col, last, col, lead + block)


def plan_env_move(
    lines: Sequence[str],
    language: str,
    row: int,
    start: int,
    end: int,
    value: str,
    name: str,
    rule_id: str,
    *,
    path: str = "",
    existing_env: str | None = None,
    existing_gitignore: str | None = None,
) -> EnvMove:
    """The env move for the secret at `lines[row][start:end]` (== `value`).

    Raises EnvFixError when the move cannot be done safely here (unknown
    language, a multi-line secret, a secret in a comment or outside a string
    literal in code)."""
    if language not in SUPPORTED_LANGUAGES:
        raise EnvFixError(f"no environment lookup known for language '{language or 'unknown'}'")
    if not value or "\n" in value or "\r" in value:
        raise EnvFixError("only single-line secrets can be moved to .env")
    if row >= len(lines):
        raise EnvFixError("the secret's line is past the end of the document")
    line = lines[row].rstrip("\r\n")
    if line[start:end] != value:
        raise EnvFixError("the document no longer holds the secret at this range")
    if path.endswith(".tfvars"):
        raise EnvFixError(".tfvars files hold values only; set TF_VAR_ variables instead")
    if _in_comment(line, start, language):
        raise EnvFixError("the secret is in a comment: delete it there")

    anchor = start
    if language in CODE_LANGUAGES or language == "terraform":
        lit = _find_literal(line, start, end, language)
        anchor = lit.start if lit is not None else start
    else:
        state, qs, _q = _string_state(line, start, None, "\"'")
        anchor = qs if state == "string" else start
    base = env_name_for(name or assigned_name(line, anchor), rule_id)
    if language == "github-actions":
        base = actions_secret_name(base)
    var = base.lower()
    env_base = f"TF_VAR_{var}" if language == "terraform" else base
    same = _key_holding(value, existing_env, "TF_VAR_" if language == "terraform" else "")
    if same:  # .env already holds this value: read it under that name, add nothing
        env_base = same
        base = same[len("TF_VAR_"):] if language == "terraform" else same
        var = base if language == "terraform" else base.lower()
        if language != "terraform" and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", base):
            env_base = base = env_identifier(base)
    env_key, needs_append = choose_env_key(env_base, value, existing_env)
    if env_key != env_base:  # a different value already sits under the base name
        suffix = env_key[len(env_base) :]
        base += suffix
        var += suffix
    edits: list[TextEdit] = []
    hint = ""

    if language in CODE_LANGUAGES:
        lit = _find_literal(line, start, end, language)
        if lit is None:
            raise EnvFixError("the secret is not inside a string literal on its line")
        repl = _split_literal(line, lit, start, end, _lookup(language, base))
        assert repl is not None
        edits.append(TextEdit(row, repl.start_col, row, repl.end_col, repl.new_text))
        extra: TextEdit | None = None
        if language == "python":
            extra = _python_import(lines)
        elif language == "go":
            const = _const_to_runtime(line, row, lit.start, "go")
            if const:
                edits.append(const)
            extra = _go_import(lines)
        elif language == "csharp":
            const = _const_to_runtime(line, row, lit.start, "csharp")
            if const:
                edits.append(const)
            extra = _csharp_using(lines)
        if extra:
            edits.append(extra)
    elif language == "shell":
        s, e, text = _shell_replacement(line, start, end, base)
        edits.append(TextEdit(row, s, row, e, text))
    elif language == "github-actions":
        ref = "${{ secrets." + base + " }}"
        edits.append(TextEdit(row, start, row, end, _substitute(line, start, end, ref, language)))
    elif language == "terraform":
        lit = _find_literal(line, start, end, "python")
        if lit is not None and lit.quote == '"' and lit.quote_start + 1 == start and lit.end - 1 == end:
            edits.append(TextEdit(row, lit.start, row, lit.end, f"var.{var}"))
        else:
            edits.append(TextEdit(row, start, row, end, "${var." + var + "}"))
        decl = _terraform_variable(lines, var)
        if decl:
            edits.append(decl)
    elif language == "dockerfile":
        more, hint = _dockerfile_move(lines, row, start, end, base)
        edits.extend(more)
    else:
        ref = "${" + base + "}"
        edits.append(TextEdit(row, start, row, end, _substitute(line, start, end, ref, language)))

    return EnvMove(
        name=var if language == "terraform" else base,
        env_key=env_key,
        edits=tuple(sorted(edits, key=lambda t: (t.start_line, t.start_col))),
        env_append=dotenv_append_text(existing_env, env_key, value) if needs_append else None,
        gitignore_append=gitignore_append_text(existing_gitignore),
        hint=hint,
    )


def apply_edits(text: str, edits: Sequence[TextEdit]) -> str:
    """Apply non-overlapping edits (0-based code-point positions) to `text`.
    For tests and for callers that hold plain text."""
    lines = text.split("\n")
    starts = [0]
    for ln in lines[:-1]:
        starts.append(starts[-1] + len(ln) + 1)

    def offset(line: int, col: int) -> int:
        if line >= len(lines):
            return len(text)
        return starts[line] + min(col, len(lines[line]))

    out = text
    for e in sorted(edits, key=lambda t: (t.start_line, t.start_col), reverse=True):
        s, t = offset(e.start_line, e.start_col), offset(e.end_line, e.end_col)
        out = out[:s] + e.new_text + out[t:]
    return out
