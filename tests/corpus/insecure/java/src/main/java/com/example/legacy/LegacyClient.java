package com.example.legacy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Random;
import javax.net.ssl.HttpsURLConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public class LegacyClient {
    private static final Logger LOG = LoggerFactory.getLogger(LegacyClient.class);
    private final String apiKey;

    public LegacyClient(String apiKey) {
        this.apiKey = apiKey;
        HttpsURLConnection.setDefaultHostnameVerifier((host, session) -> true);
        LOG.debug("API key: " + apiKey);
        LOG.debug("client created for {}", System.getProperty("user.name"));
    }

    public String oneTimeCode() {
        return String.valueOf(new Random().nextInt(900000) + 100000);
    }

    public String sessionId() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    public String etag(String body) throws Exception {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        return HexFormat.of().formatHex(md5.digest(body.getBytes(StandardCharsets.UTF_8)));
    }
}
