package com.example.http;

import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLSession;

public class PinnedVerifier implements HostnameVerifier {
    private final String expected;

    public PinnedVerifier(String expected) {
        this.expected = expected;
    }

    @Override
    public boolean verify(String hostname, SSLSession session) {
        return expected.equalsIgnoreCase(hostname);
    }
}
