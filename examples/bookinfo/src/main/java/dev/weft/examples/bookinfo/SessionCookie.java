package dev.weft.examples.bookinfo;

import com.sun.net.httpserver.Headers;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * productpage's login session: the user name signed with a per-process key, so the cookie alone proves who
 * logged in and the server keeps no session table. A cookie from another process or a tampered one is
 * ignored (the visitor is simply not logged in).
 */
final class SessionCookie {
    static final String NAME = "session";
    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;

    SessionCookie(byte[] key) {
        this.key = new SecretKeySpec(key.clone(), ALGORITHM);
    }

    /** The Set-Cookie value that logs {@code user} in. */
    String issue(String user) {
        byte[] name = user.getBytes(StandardCharsets.UTF_8);
        return NAME + "=" + ENCODER.encodeToString(name) + "." + ENCODER.encodeToString(sign(name))
                + "; Path=/; HttpOnly; SameSite=Lax";
    }

    /** The Set-Cookie value that logs out. */
    String clear() {
        return NAME + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax";
    }

    /** The logged-in user named by a valid session cookie among the request's Cookie headers. */
    Optional<String> user(Headers requestHeaders) {
        List<String> cookieHeaders = requestHeaders.getOrDefault("Cookie", List.of());
        for (String header : cookieHeaders) {
            for (String cookie : header.split(";")) {
                String trimmed = cookie.strip();
                if (trimmed.startsWith(NAME + "=")) {
                    Optional<String> user = verify(trimmed.substring(NAME.length() + 1));
                    if (user.isPresent()) {
                        return user;
                    }
                }
            }
        }
        return Optional.empty();
    }

    private Optional<String> verify(String value) {
        int dot = value.indexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        try {
            byte[] name = DECODER.decode(value.substring(0, dot));
            byte[] signature = DECODER.decode(value.substring(dot + 1));
            if (MessageDigest.isEqual(signature, sign(name))) {
                return Optional.of(new String(name, StandardCharsets.UTF_8));
            }
        } catch (IllegalArgumentException notBase64) {
            // A malformed cookie is the same as no cookie.
        }
        return Optional.empty();
    }

    private byte[] sign(byte[] data) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
