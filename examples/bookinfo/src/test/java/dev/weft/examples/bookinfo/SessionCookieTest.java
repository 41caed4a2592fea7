package dev.weft.examples.bookinfo;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SessionCookieTest {
    private final SessionCookie sessions = new SessionCookie(key(1));

    @Test
    void aCookieItIssuedNamesTheUser() {
        assertThat(sessions.user(cookie("theme=dark; " + value(sessions.issue("jason")) + "; other=1")))
                .hasValue("jason");
    }

    @Test
    void issuedCookiesAreHttpOnlyForTheWholeSite() {
        assertThat(sessions.issue("jason")).endsWith("; Path=/; HttpOnly; SameSite=Lax");
        assertThat(sessions.clear()).startsWith("session=;").contains("Max-Age=0");
    }

    @Test
    void aCookieFromAnotherKeyOrTamperedOrMalformedIsIgnored() {
        String other = value(new SessionCookie(key(2)).issue("jason"));
        String valid = value(sessions.issue("jason"));
        String tampered = valid.replace(valid.substring(8, 12), "AAAA");

        assertThat(sessions.user(cookie(other))).isEmpty();
        assertThat(sessions.user(cookie(tampered))).isEmpty();
        assertThat(sessions.user(cookie("session=nodot"))).isEmpty();
        assertThat(sessions.user(cookie("session=!!.??"))).isEmpty();
        assertThat(sessions.user(new Headers())).isEmpty();
    }

    private static byte[] key(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }

    private static String value(String setCookie) {
        return setCookie.split(";")[0];
    }

    private static Headers cookie(String value) {
        Headers headers = new Headers();
        headers.add("Cookie", value);
        return headers;
    }
}
