"""GitHub Actions workflows: pull_request_target + head checkout, secrets echoed, unpinned actions,
long-lived cloud keys, permissions: write-all, literal secrets in env."""

import json
import textwrap

from spillguard.engine.insecure import InsecureDocument, scan_insecure
from spillguard.engine.rulecheck import apply_edits

WF = ".github/workflows/ci.yml"


def wf(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def found(text: str, path: str = WF) -> list[tuple[str, int]]:
    return [(f.rule_id, f.start_line) for f in scan_insecure(text, path)]


PINNING = wf("""
    on: push
    permissions:
      contents: read
    jobs:
      lint:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
          - uses: tj-actions/changed-files@v45
          - uses: reviewdog/action-setup@11bd71901bbe5b1630ceea73d27597364c9af683 # v1.3.0
          - uses: ./.github/actions/local
          - uses: "codecov/codecov-action@main"
      deploy:
        uses: octo-org/shared/.github/workflows/deploy.yml@v2
""")


def test_unpinned_actions_third_party_high_github_owned_low():
    got = {(f.rule_id, f.start_line, f.severity) for f in scan_insecure(PINNING, WF)}
    assert got == {
        ("gha-unpinned-github-action", 8, "low"),
        ("gha-unpinned-action", 9, "high"),
        ("gha-unpinned-action", 12, "high"),
        ("gha-unpinned-action", 14, "high"),
    }
    [tj] = [f for f in scan_insecure(PINNING, WF) if f.start_line == 9]
    assert "commit SHA" in tj.remediation and tj.fixes == ()  # the SHA needs a lookup: no mechanical fix


def test_unpinned_description_cites_the_incidents():
    from spillguard.engine.insecure_rules import load_insecure_rules

    rule = next(r for r in load_insecure_rules() if r.id == "gha-unpinned-action")
    assert "tj-actions" in rule.description and "reviewdog" in rule.description


def test_workflow_rules_apply_only_to_workflow_files():
    assert found(PINNING, "deploy/values.yml") == []
    assert found(PINNING, "repo/.github/workflows/lint.yaml") != []


PWN = wf("""
    on:
      pull_request_target:
        types: [opened]
    permissions:
      contents: read
    jobs:
      test:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11
            with:
              ref: ${{ github.event.pull_request.head.sha }}
          - run: npm ci && npm test
""")


def test_pull_request_target_with_head_checkout():
    [f] = scan_insecure(PWN, WF)
    assert (f.rule_id, f.start_line, f.severity) == ("gha-pull-request-target-checkout", 12, "critical")


def test_head_checkout_under_pull_request_or_base_checkout_is_fine():
    assert found(PWN.replace("pull_request_target", "pull_request")) == []
    base_only = PWN.replace("        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n", "")
    assert found(base_only) == []


ECHO = wf("""
    on: push
    jobs:
      e2e:
        runs-on: ubuntu-latest
        steps:
          - env:
              API_TOKEN: ${{ secrets.E2E_API_TOKEN }}
            run: |
              echo "Running against $BASE_URL"
              echo "token=$API_TOKEN"
              echo "${{ secrets.E2E_API_TOKEN }}" | base64
              echo "::add-mask::$API_TOKEN"
              echo "$API_TOKEN" | docker login -u ci --password-stdin registry.example.com
              echo "//npm.example.com/:_authToken=${API_TOKEN}" > ~/.npmrc
""")


def test_secret_echoed_points_at_the_line_inside_the_run_block():
    got = [(f.rule_id, f.start_line, f.start_col, f.end_col) for f in scan_insecure(ECHO, WF)]
    assert got == [("gha-secret-echoed", 10, 23, 33), ("gha-secret-echoed", 11, 17, 45)]
    assert ECHO.splitlines()[9][22:32] == "$API_TOKEN"


class Buffer:
    def __init__(self, text: str) -> None:
        self.data = text.encode()

    def read(self, offset: int, _point: tuple[int, int]) -> bytes:
        return self.data[offset : offset + 7]  # small chunks: reads cross chunk borders


def test_echo_findings_follow_edits_in_an_editor_document():
    buf = Buffer(ECHO)
    doc = InsecureDocument.open(WF, buf.read)
    assert doc is not None
    assert [f.start_line for f in doc.findings()] == [10, 11]
    old = buf.data
    at = old.index(b'echo "Running')
    insert = b'echo "pw: $DB_PASSWORD"\n          '
    buf.data = old[:at] + insert + old[at:]
    row = old[:at].count(b"\n")
    col = at - (old.rfind(b"\n", 0, at) + 1)
    doc.edit(at, at, at + len(insert), (row, col), (row, col), (row + 1, 10))
    doc.update()
    fresh = scan_insecure(buf.data.decode(), WF)
    assert [(f.rule_id, f.start_line, f.start_col) for f in doc.findings()] == [
        (f.rule_id, f.start_line, f.start_col) for f in fresh
    ]
    assert [f.start_line for f in fresh] == [9, 11, 12]


def test_long_lived_cloud_keys_and_their_oidc_twins():
    text = wf("""
        on: push
        permissions:
          id-token: write
          contents: read
        jobs:
          a:
            steps:
              - uses: aws-actions/configure-aws-credentials@e3dd6a429d7300a6a4c196c26e071d42e0343502
                with:
                  aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}
                  aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}
              - uses: aws-actions/configure-aws-credentials@e3dd6a429d7300a6a4c196c26e071d42e0343502
                with:
                  role-to-assume: arn:aws:iam::123456789012:role/deploy
              - uses: google-github-actions/auth@6fc4af4b145ae7821d527454aa9bd537d1f2dc5f
                with:
                  credentials_json: ${{ secrets.GCP_SA_KEY }}
              - uses: azure/login@a65d910e8af852a8061c627c456678983e180302
                with:
                  creds: ${{ secrets.AZURE_CREDENTIALS }}
              - uses: azure/login@a65d910e8af852a8061c627c456678983e180302
                with:
                  client-id: ${{ secrets.AZURE_CLIENT_ID }}
                  tenant-id: ${{ secrets.AZURE_TENANT_ID }}
                  subscription-id: ${{ secrets.AZURE_SUBSCRIPTION_ID }}
    """)
    assert found(text) == [
        ("gha-long-lived-cloud-key", 10),
        ("gha-long-lived-cloud-key", 17),
        ("gha-long-lived-cloud-key", 20),
    ]


def test_permissions_write_all_fix_gives_least_privilege():
    text = "on: push\npermissions: write-all\njobs: {}\n"
    [f] = scan_insecure(text, WF)
    assert f.rule_id == "gha-permissions-write-all" and f.start_line == 2
    [fix] = f.fixes
    fixed = apply_edits(text, fix.edits)
    assert fixed == "on: push\npermissions: {contents: read}\njobs: {}\n"
    assert found(fixed) == []
    assert found("permissions: read-all\n") == []


def test_literal_secret_in_env_is_reported_without_the_value():
    secret = "npm_4Xq9Lm2Vb7Rt1Yz8Kp3Wc6Hn0Jd5Fs9Ge2Ua"
    text = wf(f"""
        on: push
        env:
          NPM_TOKEN: {secret}
          NODE_ENV: production
          GH_TOKEN: ${{{{ secrets.GITHUB_TOKEN }}}}
        jobs:
          test:
            services:
              postgres:
                image: postgres:16
                env:
                  POSTGRES_PASSWORD: postgres
    """)
    [f] = scan_insecure(text, WF)
    assert (f.rule_id, f.start_line, f.name, f.severity) == ("gha-literal-secret-env", 3, "NPM_TOKEN", "critical")
    assert secret not in json.dumps(f.to_dict())
    assert secret[:4] in f.preview


def test_tls_checks_turned_off_in_run():
    text = wf("""
        on: push
        jobs:
          smoke:
            runs-on: ubuntu-latest
            steps:
              - run: |
                  curl -fsS https://www.example.com/health
                  curl -sk --retry 5 https://staging.example.com/health
              - run: wget --no-check-certificate -O tool https://tools.example.com/tool
    """)
    got = [(f.rule_id, f.start_line, f.start_col) for f in scan_insecure(text, WF)]
    assert got == [("gha-run-tls-verify-disabled", 8, 16), ("gha-run-tls-verify-disabled", 9, 19)]
