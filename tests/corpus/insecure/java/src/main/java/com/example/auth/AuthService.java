package com.example.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public class AuthService {
    private static final Logger log = LoggerFactory.getLogger(AuthService.class);

    private final UserRepository users;

    public AuthService(UserRepository users) {
        this.users = users;
    }

    public boolean login(String username, String password) {
        log.info("Login attempt for {} with password {}", username, password);
        log.info("Login attempt for {}", username);
        User u = users.find(username);
        if (u == null) {
            throw new IllegalArgumentException("unknown user " + username);
        }
        return u.checkPassword(password);
    }

    public void rotate(String apiToken) {
        System.out.println("rotating api token " + apiToken);
    }
}
