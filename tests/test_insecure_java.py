"""Java insecure defaults."""

import textwrap

from spillguard.engine.insecure import scan_insecure

CLIENT = textwrap.dedent("""\
    import java.security.MessageDigest;
    import java.util.Random;
    import javax.net.ssl.*;

    public class ApiClient {
        private static final Logger logger = LoggerFactory.getLogger(ApiClient.class);

        static SSLContext trustAll() throws Exception {
            TrustManager[] tms = new TrustManager[] { new X509TrustManager() {
                public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
                public void checkClientTrusted(X509Certificate[] chain, String type) {}
                public void checkServerTrusted(X509Certificate[] chain, String type) {}
            } };
            HttpsURLConnection.setDefaultHostnameVerifier((host, session) -> true);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tms, null);
            return ctx;
        }

        String hashPassword(String password) throws Exception {
            MessageDigest md = MessageDigest.getInstance("MD5");
            return toHex(md.digest(password.getBytes()));
        }

        String newApiToken() {
            return Long.toHexString(new Random().nextLong());
        }

        void login(String user, String password) {
            logger.info("login " + user + " with " + password);
        }
    }
""")

SAFE = textwrap.dedent("""\
    public class ApiClient {
        private static final SecureRandom RNG = new SecureRandom();

        String hashPassword(String password) {
            return encoder.encode(password);
        }

        String fileChecksum(byte[] data) throws Exception {
            return toHex(MessageDigest.getInstance("MD5").digest(data));
        }

        String newApiToken() {
            byte[] b = new byte[32];
            RNG.nextBytes(b);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        }

        void login(String user, String password) {
            logger.info("login {}", user);
        }
    }
""")


def test_an_assistant_written_java_client():
    found = {(f.rule_id, f.start_line) for f in scan_insecure(CLIENT, "src/ApiClient.java")}
    assert found == {
        ("java-trust-all-certificates", 9),
        ("java-hostname-verifier-accepts-all", 14),
        ("java-weak-hash-password", 21),
        ("java-insecure-random-token", 26),
        ("java-secret-in-log", 30),
    }


def test_the_safe_twin_has_no_findings():
    assert scan_insecure(SAFE, "src/ApiClient.java") == []


def test_trust_all_finding_says_what_to_do():
    [f] = [f for f in scan_insecure(CLIENT, "A.java") if f.rule_id == "java-trust-all-certificates"]
    assert "TrustManagerFactory" in f.remediation and "CWE-295" in f.cwe
    assert f.preview.startswith("TrustManager[] tms = new TrustManager[] { new X509TrustManager()")


TOKENS = textwrap.dedent("""\
    import java.util.Random;

    public class ApiTokenService {
        private static final Random RANDOM = new Random();
        private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

        public String newApiToken() {
            String token = Long.toHexString(RANDOM.nextLong());
            return token;
        }

        public String inviteCode() {
            StringBuilder sb = new StringBuilder(8);
            for (int i = 0; i < 8; i++) {
                sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
            }
            return sb.toString();
        }
    }
""")


def test_a_random_field_used_for_tokens_is_reported_where_the_token_is_made():
    found = [f for f in scan_insecure(TOKENS, "src/ApiTokenService.java") if f.rule_id == "java-insecure-random-token"]
    assert [f.start_line for f in found] == [8, 15]
    lines = TOKENS.splitlines()
    assert lines[7][found[0].start_col - 1 : found[0].end_col - 1] == "RANDOM.nextLong()"
    assert "SecureRandom" in found[0].remediation


def test_a_securerandom_field_is_not_a_finding():
    safe = TOKENS.replace("import java.util.Random;", "import java.security.SecureRandom;").replace(
        "private static final Random RANDOM = new Random();", "private static final SecureRandom RANDOM = new SecureRandom();")
    assert scan_insecure(safe, "src/ApiTokenService.java") == []


def test_a_random_field_for_jitter_beside_a_securerandom_for_tokens_is_not_a_finding():
    text = textwrap.dedent("""\
        public class Sessions {
            private static final Random JITTER = new Random();
            private static final SecureRandom TOKENS = new SecureRandom();

            long backoff(int attempt) { return (1L << attempt) * 100 + JITTER.nextInt(100); }

            String sessionToken() {
                String token = Long.toHexString(TOKENS.nextLong());
                return token;
            }
        }
    """)
    assert scan_insecure(text, "src/Sessions.java") == []


def test_a_local_random_is_reported_once_where_it_is_made_and_securerandom_draws_stay_clean():
    text = textwrap.dedent("""\
        public final class PasswordUtil {
            private static final SecureRandom SECURE = new SecureRandom();

            public static String resetToken() {
                Random random = new Random();
                return Long.toHexString(random.nextLong());
            }

            public static String apiKey() {
                return Long.toHexString(SECURE.nextLong());
            }
        }
    """)
    found = [f for f in scan_insecure(text, "PasswordUtil.java") if f.rule_id == "java-insecure-random-token"]
    assert [(f.start_line, text.splitlines()[f.start_line - 1][f.start_col - 1 : f.end_col - 1]) for f in found] == [
        (5, "new Random()")]


def test_a_random_field_declared_after_the_methods_still_counts():
    text = "class S {\n  String newSessionId() {\n    return Long.toHexString(rng.nextLong());\n  }\n\n  private final Random rng = new Random();\n}\n"
    assert [f.start_line for f in scan_insecure(text, "S.java")] == [3]


MAILER = textwrap.dedent("""\
    class Mailer {
        void setup(Config cfg, String dbPass, String pass, int i, int n) {
            log.info("smtp user {}", System.getenv("SMTP_USER"));
            log.info("smtp pass {}", System.getenv("SMTP_PASS"));
            log.info("SMTP_PASS set: {}", System.getenv("SMTP_PASS") != null);
            System.out.println("db pass: " + dbPass);
            LOGGER.debug("smtp login {} / {}", cfg.getSmtpUser(), cfg.getSmtpPass());
            log.info("pass {} of {}", i, n);
            log.info("first pass took {} ms, bypass={}", firstPass, bypass);
            System.out.println("passed " + stats.pass + ", failed " + stats.fail);
            log.info("reading the SMTP password from {}", System.getenv("SMTP_PASS_FILE"));
            throw new IllegalStateException("login failed; user "
                + cfg.getSmtpUser()
                + " with " + pass);
        }
    }
""")


def test_pass_named_secrets_in_java_logs_are_findings_and_their_twins_are_not():
    found = [f for f in scan_insecure(MAILER, "src/Mailer.java") if f.rule_id == "java-secret-in-log"]
    lines = MAILER.splitlines()
    assert [(f.start_line, lines[f.start_line - 1][f.start_col - 1 : f.end_col - 1]) for f in found] == [
        (4, '"SMTP_PASS"'),
        (6, "dbPass"),
        (7, "getSmtpPass"),
        (14, "pass"),
    ]
