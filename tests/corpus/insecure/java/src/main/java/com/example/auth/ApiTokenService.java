package com.example.auth;

import java.util.Random;

public class ApiTokenService {
    private static final Random RANDOM = new Random();
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public String newApiToken() {
        String token = Long.toHexString(RANDOM.nextLong()) + Long.toHexString(RANDOM.nextLong());
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
