package com.example.auth;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Random;

public class SessionTokens {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Random JITTER = new Random();

    public String newSessionToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public String resetToken() {
        String token = Long.toHexString(RANDOM.nextLong()) + Long.toHexString(RANDOM.nextLong());
        return token;
    }

    public long retryDelayMillis(int attempt) {
        return (1L << attempt) * 100 + JITTER.nextInt(100);
    }
}
