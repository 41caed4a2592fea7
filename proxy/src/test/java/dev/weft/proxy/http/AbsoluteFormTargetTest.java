package dev.weft.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

class AbsoluteFormTargetTest {

    private static HttpRequest request(String target, String host) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, target);
        request.headers().set("host", host);
        AbsoluteFormTarget.normalize(request);
        return request;
    }

    @Test
    void absoluteFormBecomesOriginFormWithTheTargetsAuthority() {
        HttpRequest request = request("http://details:9080/details/0?x=1", "ignored:1");
        assertThat(request.uri()).isEqualTo("/details/0?x=1");
        assertThat(request.headers().get("host")).isEqualTo("details:9080");
    }

    @Test
    void emptyPathAndQueryOnlyTargetsGetARootPath() {
        assertThat(request("HTTP://reviews:9080", "x").uri()).isEqualTo("/");
        assertThat(request("https://reviews?q=1", "x").uri()).isEqualTo("/?q=1");
    }

    @Test
    void originFormIsUntouched() {
        HttpRequest request = request("/productpage", "productpage:9080");
        assertThat(request.uri()).isEqualTo("/productpage");
        assertThat(request.headers().get("host")).isEqualTo("productpage:9080");
    }
}
