package dev.weft.proxy.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The hostile-input corpus under {@code src/test/resources/hostile/}: one YAML file per protocol. */
final class HostileInputCorpus {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    private static final Pattern REPEAT = Pattern.compile("\\{repeat (\\d+)}(.*?)\\{/repeat}", Pattern.DOTALL);

    private HostileInputCorpus() {
    }

    /** A request the upstream may receive; a header mapped to null must be absent. */
    record Forwarded(String method, String path, String body, Map<String, String> headers, boolean optional) {

        Forwarded {
            path = expand(path);
            headers = headers == null ? Map.of() : headers;
        }

        String line() {
            return method + " " + path;
        }
    }

    /** One HTTP/1 case; see the head of http1.yaml. */
    record Http1Case(String name, String why, String hcm, String send, JsonNode status, boolean close,
            List<Forwarded> upstream, String bug) {

        Http1Case {
            send = expand(send);
            hcm = hcm == null ? "" : hcm;
        }

        /** The expected statuses in order; empty when the proxy must close without answering. */
        List<Integer> statuses() {
            if (status.isTextual() && status.asText().equals("close")) {
                return List.of();
            }
            return YAML.convertValue(status, new TypeReference<List<Integer>>() { });
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** One HTTP/2 frame to send; exactly one of its fields is set. See the head of http2.yaml. */
    record Frame(List<List<String>> headers, Boolean endStream, String data, Integer rstStream) {
    }

    /** One HTTP/2 case; see the head of http2.yaml. */
    /**
     * {@code responseMayComeFirst}: the headers alone are a valid request, so the upstream may answer before the
     * offending frame reaches the proxy; the reset then follows the response.
     */
    record Http2Case(String name, String why, String hcm, List<Frame> frames, Integer repeat, String expect,
            boolean responseMayComeFirst, List<Forwarded> upstream, String bug) {

        Http2Case {
            hcm = hcm == null ? "" : hcm;
            repeat = repeat == null ? 1 : repeat;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Http1Case> http1() {
        return load("http1.yaml", new TypeReference<>() { });
    }

    static List<Http2Case> http2() {
        return load("http2.yaml", new TypeReference<>() { });
    }

    private static <T> List<T> load(String file, TypeReference<List<T>> type) {
        try (InputStream in = HostileInputCorpus.class.getResourceAsStream("/hostile/" + file)) {
            return YAML.readValue(in, type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read hostile/" + file, e);
        }
    }

    /** Expands {@code {repeat N}text{/repeat}}, so long inputs stay readable in the corpus. */
    static String expand(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = REPEAT.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group(2).repeat(Integer.parseInt(m.group(1)))));
        }
        return m.appendTail(sb).toString();
    }
}
