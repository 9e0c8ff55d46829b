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
