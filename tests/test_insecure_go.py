"""Go insecure defaults."""

import textwrap

from doc_helpers import EditedDocument

from spillguard.engine.insecure import scan_insecure
from spillguard.engine.parsing import parse_bytes
from spillguard.engine.rulecheck import apply_edits

CLIENT = textwrap.dedent("""\
    package auth

    import (
    \t"crypto/md5"
    \t"crypto/tls"
    \t"fmt"
    \t"log"
    \t"math/rand"
    \t"net/http"
    )

    func Client() *http.Client {
    \ttr := &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}
    \treturn &http.Client{Transport: tr}
    }

    func HashPassword(password string) string {
    \treturn fmt.Sprintf("%x", md5.Sum([]byte(password)))
    }

    func NewSessionToken() string {
    \tb := make([]byte, 32)
    \tfor i := range b {
    \t\tb[i] = letters[rand.Intn(len(letters))]
    \t}
    \tlog.Printf("issued token %s", string(b))
    \treturn string(b)
    }

    func Login(user, password string) {
    \tlog.Printf("login %s with password %s", user, password)
    }
""")

SAFE = textwrap.dedent("""\
    package auth

    import (
    \t"crypto/rand"
    \t"crypto/tls"
    \t"encoding/base64"
    \t"log"

    \t"golang.org/x/crypto/bcrypt"
    )

    var cfg = &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: pool}

    func HashPassword(password string) ([]byte, error) {
    \treturn bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
    }

    func NewSessionToken() (string, error) {
    \tb := make([]byte, 32)
    \tif _, err := rand.Read(b); err != nil {
    \t\treturn "", err
    \t}
    \treturn base64.RawURLEncoding.EncodeToString(b), nil
    }

    func Login(user, password string) {
    \tlog.Printf("login %s", user)
    }
""")


def test_an_assistant_written_go_client():
    found = {(f.rule_id, f.start_line) for f in scan_insecure(CLIENT, "auth/client.go")}
    assert found == {
        ("go-tls-insecure-skip-verify", 13),
        ("go-weak-hash-password", 18),
        ("go-insecure-random-token", 24),
        ("go-secret-in-log", 31),
    }


def test_the_safe_twin_has_no_findings():
    assert scan_insecure(SAFE, "auth/client.go") == []


def test_insecure_skip_verify_fix_parses_and_clears_the_finding():
    [f] = [f for f in scan_insecure(CLIENT, "c.go") if f.rule_id == "go-tls-insecure-skip-verify"]
    [fix] = f.fixes
    fixed = apply_edits(CLIENT, fix.edits)
    assert "InsecureSkipVerify: false" in fixed and fix.safe
    assert not parse_bytes("go", fixed.encode()).root_node.has_error
    assert "go-tls-insecure-skip-verify" not in {g.rule_id for g in scan_insecure(fixed, "c.go")}


def test_crypto_rand_is_not_math_rand():
    text = "package a\n\nfunc token() {\n\tn, _ := rand.Int(rand.Reader, max)\n\t_ = n\n}\n"
    assert scan_insecure(text, "a.go") == []


def session_id(imports: str) -> str:
    return ("package session\n\nimport (\n" + imports + "\t\"encoding/hex\"\n)\n\n"
            "func NewSessionID() string {\n\tb := make([]byte, 16)\n\trand.Read(b)\n\treturn hex.EncodeToString(b)\n}\n")


def random_lines(text: str) -> list[int]:
    return [f.start_line for f in scan_insecure(text, "session.go") if f.rule_id == "go-insecure-random-token"]


def test_the_imports_decide_whether_rand_read_is_math_rand():
    assert random_lines(session_id('\t"math/rand"\n')) == [10]
    assert random_lines(session_id('\t"crypto/rand"\n')) == []
    # crypto/rand as rand, math/rand under an alias: rand.Read is crypto/rand's
    assert random_lines(session_id('\t"crypto/rand"\n\tmrand "math/rand"\n')) == []
    aliased = session_id('\tcrand "crypto/rand"\n\tmrand "math/rand"\n').replace("rand.Read(b)", "mrand.Read(b)")
    assert random_lines(aliased) == [11]


def test_functions_only_math_rand_has_are_found_on_any_generator_when_math_rand_is_imported():
    text = ("package auth\n\nimport (\n\t\"math/rand\"\n\t\"time\"\n)\n\n"
            "var rng = rand.New(rand.NewSource(time.Now().UnixNano()))\n\n"
            "func NewToken() string {\n\tb := make([]byte, 32)\n\tfor i := range b {\n"
            "\t\tb[i] = letters[rng.Intn(len(letters))]\n\t}\n\treturn string(b)\n}\n")
    assert random_lines(text) == [13]
    # the same call with crypto/rand imported instead does not compile, so it is nobody's finding
    assert random_lines(text.replace('"math/rand"', '"crypto/rand"')) == []


def test_an_editor_document_follows_a_change_of_import():
    ed = EditedDocument("session.go", session_id('\t"crypto/rand"\n'))
    assert ed.doc.findings() == []
    ed.replace('"crypto/rand"', '"math/rand"')
    assert [(f.rule_id, f.start_line) for f in ed.doc.findings()] == [("go-insecure-random-token", 10)]
    fresh = scan_insecure(ed.text, "session.go")
    assert [f.with_(start_offset=0, end_offset=0) for f in fresh] == ed.doc.findings()
    ed.replace('"math/rand"', '"crypto/rand"')
    assert ed.doc.findings() == []


MAILER = textwrap.dedent("""\
    package mail

    func Setup(cfg Config, dbPass string, i, n int) error {
    \tlog.Printf("smtp user=%s", os.Getenv("SMTP_USER"))
    \tlog.Printf("smtp pass=%s", os.Getenv("SMTP_PASS"))
    \tlog.Printf("SMTP_PASS set: %t", os.Getenv("SMTP_PASS") != "")
    \tfmt.Println("db pass:", dbPass)
    \tlog.Printf("using %s", cfg.SMTPPass)
    \tlog.Printf("pass %d of %d", i, n)
    \tlog.Printf("first pass took %v, bypass=%v", firstPass, bypass)
    \tfmt.Printf("%d passed, %d failed\\n", stats.Pass, stats.Fail)
    \tlogger.Debugf("smtp login %s/%s",
    \t\tcfg.User,
    \t\tpass)
    \treturn fmt.Errorf("redis auth failed: %s", os.Getenv("REDIS_PASS_FILE"))
    }
""")


def test_pass_named_secrets_in_go_logs_are_findings_and_their_twins_are_not():
    found = [f for f in scan_insecure(MAILER, "mail/setup.go") if f.rule_id == "go-secret-in-log"]
    lines = MAILER.splitlines()
    assert [(f.start_line, lines[f.start_line - 1][f.start_col - 1 : f.end_col - 1]) for f in found] == [
        (5, '"SMTP_PASS"'),
        (7, "dbPass"),
        (8, "SMTPPass"),
        (14, "pass"),
    ]


def test_the_pass_of_a_go_analysis_checker_is_not_a_password():
    text = textwrap.dedent("""\
        package checker

        func run(a *analysis.Analyzer, pass string) {
        \tlog.Printf("analysis %s", pass)
        }
    """)
    assert [f.start_line for f in scan_insecure(text, "checker.go")] == [4]
    analysis = text.replace("pass string", "files []string").replace("\tlog", "\tpass := &analysis.Pass{Analyzer: a}\n\tlog")
    assert scan_insecure(analysis, "checker.go") == []


def secret_log_findings(text: str) -> list[tuple[int, str]]:
    lines = text.splitlines()
    found = [f for f in scan_insecure(text, "tls/keys.go") if f.rule_id == "go-secret-in-log"]
    return [(f.start_line, lines[f.start_line - 1][f.start_col - 1 : f.end_col - 1]) for f in found]


KEY_ERRORS = textwrap.dedent("""\
    package tls

    func check(cert *Certificate, privateKey any, token string) error {
    \tlog.Printf("key type %T", privateKey)
    \treturn fmt.Errorf("tls: private key is %T, expected *%T",
    \t\tcert.PrivateKey, cert.PrivateKey)
    \tlog.Printf(`100%% sure: %-8T`, token)
    \tlog.Printf("key type %T: %v", privateKey, privateKey)
    \tlog.Printf("key type %T", privateKey, token)
    \tlog.Printf("key at %p", privateKey)
    \tlog.Println("%T", token)
    \tlog.Printf("%[1]T", token)
    \tlog.Printf("%T", tokens...)
    \tlog.Printf("%T " + "%s", token, token)
    \tlog.Printf("key %s", privateKey)
    \tlog.Printf("key %x", privateKey)
    \tlog.Printf("key %q", privateKey)
    \tlog.Printf("key %+v", cert.PrivateKey)
    }
""")


def test_a_go_format_that_prints_only_types_does_not_leak_the_secret_it_formats():
    # %T prints the type; an argument past the verbs, %p of a string, Println, an indexed verb
    # and every value verb print the value (%!(EXTRA string=...), %!p(string=...))
    assert secret_log_findings(KEY_ERRORS) == [
        (8, "privateKey"), (8, "privateKey"),
        (9, "privateKey"), (9, "token"),
        (10, "privateKey"),
        (11, "token"),
        (12, "token"),
        (14, "token"), (14, "token"),
        (15, "privateKey"),
        (16, "privateKey"),
        (17, "privateKey"),
        (18, "PrivateKey"),
    ]


WORKDIR = textwrap.dedent("""\
    package main

    func run(user, pwd string, dbPwd string) {
    \tfmt.Println("login", user, pwd)
    \tlog.Printf("db %s", dbPwd)
    \tlog.Printf("admin %s", adminPwd)
    \tlog.Printf("db %s", os.Getenv("DB_PWD"))
    \tlog.Printf("shell dir %s", os.Getenv("PWD"))
    }

    func main() {
    \tpwd, err := os.Getwd()
    \tif err != nil {
    \t\tlog.Fatal(err)
    \t}
    \tfmt.Println(pwd)
    \tgo func() {
    \t\tlog.Printf("still in %s as %s", pwd, dbPwd)
    \t}()
    }

    func abs() {
    \tif pwd, err := filepath.Abs("."); err == nil {
    \t\tlog.Println(pwd)
    \t}
    }
""")


def test_a_go_pwd_set_from_the_working_directory_is_not_a_password():
    assert secret_log_findings(WORKDIR) == [
        (4, "pwd"),
        (5, "dbPwd"),
        (6, "adminPwd"),
        (7, '"DB_PWD"'),
        (18, "dbPwd"),
    ]


def test_an_editor_document_drops_a_pwd_finding_when_its_function_sets_pwd_to_the_working_directory():
    ed = EditedDocument("main.go", 'package main\n\nfunc main() {\n\tpwd := os.Getenv("DB_PWD")\n\tfmt.Println(pwd)\n}\n')
    assert [(f.rule_id, f.start_line) for f in ed.doc.findings()] == [("go-secret-in-log", 5)]
    old, new = 'pwd := os.Getenv("DB_PWD")', "pwd, _ := os.Getwd()"
    ed.replace(old, new)
    assert ed.doc.findings() == []
    assert scan_insecure(ed.text, "main.go") == []
    ed.replace(new, old)
    assert [(f.rule_id, f.start_line) for f in ed.doc.findings()] == [("go-secret-in-log", 5)]
