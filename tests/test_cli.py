"""The command line as a user meets it: exit codes, formats, stdin, --output, errors, colour, --on-finding."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from git_helpers import TOKEN_A, TOKEN_B, cli, spillguard_cmd


@pytest.fixture
def project(tmp_path) -> Path:
    (tmp_path / "clean.py").write_text("import os\nKEY = os.environ['KEY']\n")
    (tmp_path / "leak.py").write_text(f"KEY = '{TOKEN_A}'\n")
    return tmp_path


def test_exit_codes(project, monkeypatch):
    assert cli(["scan", "clean.py"], project, monkeypatch).code == 0
    assert cli(["scan", "."], project, monkeypatch).code == 1
    run = cli(["scan", "missing.py"], project, monkeypatch)
    assert run.code == 2 and "missing.py" in run.err


@pytest.mark.parametrize(
    "argv",
    [
        ["scan", "--format", "yaml"],
        ["scan", "--bogus"],
        ["frobnicate"],
        [],
        ["scan", "--staged", "--diff", "HEAD"],
        ["scan", "-", "leak.py"],
        ["scan", "--jobs", "many"],
    ],
)
def test_usage_errors_are_one_line_exit_2(project, monkeypatch, argv):
    run = cli(argv, project, monkeypatch)
    assert run.code == 2
    assert run.err.startswith("spillguard: error:") and run.err.count("\n") == 1, run.err
    assert run.out == ""


def test_broken_config_is_one_line_naming_the_file(project, monkeypatch):
    (project / ".spillguard.toml").write_text("disable = [\n")
    run = cli(["scan", "."], project, monkeypatch)
    assert run.code == 2 and ".spillguard.toml" in run.err and run.err.count("\n") == 1


def test_stdin_and_stdin_name(project, monkeypatch):
    run = cli(["scan", "-", "--stdin-name", "pasted.env", "--format", "json"], project, monkeypatch,
              stdin=f"TOKEN={TOKEN_B}\n")
    assert run.code == 1
    [f] = json.loads(run.out)["findings"]
    assert (f["path"], f["start"]["line"]) == ("pasted.env", 1)
    assert cli(["scan", "-"], project, monkeypatch, stdin="hello\n").code == 0


def test_output_file_and_formats(project, monkeypatch):
    for fmt in ("text", "json", "sarif"):
        out = project / f"report.{fmt}"
        run = cli(["scan", "leak.py", "--format", fmt, "--output", str(out)], project, monkeypatch)
        assert run.code == 1 and run.out == ""
        body = out.read_text()
        leaked = TOKEN_A in body
        assert not leaked
        if fmt == "json":
            assert json.loads(body)["summary"]["findings"] == 1
        elif fmt == "sarif":
            doc = json.loads(body)
            assert doc["version"] == "2.1.0" and doc["runs"][0]["results"][0]["ruleId"] == "github-pat"
        else:
            assert body.startswith("leak.py:1:8: CRITICAL [github-pat]")
    run = cli(["scan", "leak.py", "--output", str(project / "no" / "dir" / "r.txt")], project, monkeypatch)
    assert run.code == 2 and run.err.count("\n") == 1


def test_sarif_fits_code_scanning(project, monkeypatch):
    (project / "dir with space").mkdir()
    (project / "dir with space" / "k.py").write_text(f"K = '{TOKEN_B}'\n")
    doc = json.loads(cli(["scan", ".", "--format", "sarif"], project, monkeypatch).out)
    run = doc["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    rule = run["tool"]["driver"]["rules"][0]
    assert rule["help"]["text"] and rule["helpUri"].startswith("https://")
    assert float(rule["properties"]["security-severity"]) >= 9.0
    assert "external/cwe/cwe-798" in rule["properties"]["tags"]
    uris = sorted(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"])
    assert uris == ["dir%20with%20space/k.py", "leak.py"]  # relative, percent-encoded
    for r in run["results"]:
        assert r["partialFingerprints"]["spillguard/v1"].startswith("sg1:")
        region = r["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] == 1 and region["endColumn"] > region["startColumn"]


def test_on_finding_runs_the_command_with_arguments_not_the_secret(project, monkeypatch):
    log = project / "calls.jsonl"
    script = project / "rotate.py"
    script.write_text(
        "import json, sys\n"
        f"open({str(log)!r}, 'a').write(json.dumps(sys.argv[1:]) + '\\n')\n"
        "print('rotation requested')\n"
    )
    # A path that would run a command if finding data ever reached a shell.
    evil = project / "$(touch PWNED)"
    evil.mkdir()
    (evil / "k.py").write_text(f"K = '{TOKEN_B}'\n")
    run = cli(["scan", ".", "--format", "json", "--on-finding", f"{sys.executable} {script} --team ops"],
              project, monkeypatch)
    assert run.code == 1
    json.loads(run.out)  # the command's own output did not corrupt the report
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    findings = json.loads(run.out)["findings"]
    assert sorted(calls) == sorted(
        ["--team", "ops", f["rule"], f["path"], str(f["start"]["line"]), f["fingerprint"]] for f in findings
    )
    assert not (project / "PWNED").exists()
    logged = log.read_text()
    leaked = TOKEN_A in logged or TOKEN_B in logged
    assert not leaked


def test_on_finding_failure_is_a_warning(project, monkeypatch):
    run = cli(["scan", "leak.py", "--on-finding", "/nonexistent/rotate"], project, monkeypatch)
    assert run.code == 1
    assert "--on-finding failed for github-pat at leak.py:1: command not found" in run.err


def _run_on_tty(argv: list[str], cwd: Path, env: dict[str, str]) -> str:
    master, slave = pty.openpty()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=slave, stderr=subprocess.DEVNULL, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait()
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


def test_colour_only_on_a_terminal(project, monkeypatch):
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    on_tty = _run_on_tty([*spillguard_cmd(), "scan", "leak.py"], project, env)
    assert "\x1b[" in on_tty and "leak.py:1:8" in on_tty
    assert "\x1b[" not in _run_on_tty([*spillguard_cmd(), "scan", "leak.py", "--no-color"], project, env)
    assert "\x1b[" not in _run_on_tty([*spillguard_cmd(), "scan", "leak.py"], project, {**env, "NO_COLOR": "1"})
    piped = subprocess.run([*spillguard_cmd(), "scan", "leak.py"], cwd=project, capture_output=True, text=True,
                           env=env, check=False)
    assert piped.returncode == 1 and "\x1b[" not in piped.stdout


def test_serve_and_rules_subcommands_stay(project, monkeypatch):
    run = cli(["rules", "--list"], project, monkeypatch)
    assert run.code == 0 and "github-pat" in run.out
    run = cli(["serve", "--help"], project, monkeypatch)
    assert run.code == 0


def test_github_action_scan_step(project, tmp_path):
    """Run action.yml's scan step as the runner would (bash, env, GITHUB_OUTPUT), with this venv's spillguard."""
    import yaml

    root = Path(__file__).resolve().parents[1]
    action = yaml.safe_load((root / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    steps = {s.get("id") or s["name"]: s for s in action["runs"]["steps"]}
    upload = next(s for s in action["runs"]["steps"] if "upload-sarif@" in s.get("uses", ""))
    sha = upload["uses"].split("@", 1)[1]
    assert len(sha) == 40 and all(c in "0123456789abcdef" for c in sha)  # pinned by full commit SHA
    runner_temp = tmp_path / "runner"
    (runner_temp / "spillguard-venv" / "bin").mkdir(parents=True)
    (runner_temp / "spillguard-venv" / "bin" / "spillguard").symlink_to(Path(sys.executable).parent / "spillguard")
    for args, want in ((". --no-baseline", "1"), ("clean.py", "0")):
        output = tmp_path / "gh-output"
        output.write_text("")
        env = dict(os.environ, RUNNER_TEMP=str(runner_temp), GITHUB_OUTPUT=str(output),
                   SPILLGUARD_ARGS=args, SPILLGUARD_SARIF="out.sarif")
        proc = subprocess.run(["bash", "-e", "-c", steps["scan"]["run"]], cwd=project, env=env,
                              capture_output=True, text=True, check=False)
        assert proc.returncode == 0, proc.stderr
        assert output.read_text().strip() == f"exit-code={want}"
        assert json.loads((project / "out.sarif").read_text())["version"] == "2.1.0"
