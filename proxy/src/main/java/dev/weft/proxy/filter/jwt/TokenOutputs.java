package dev.weft.proxy.filter.jwt;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.weft.proxy.router.RouteRequest;
import dev.weft.proxy.streaminfo.DynamicMetadata;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What verified tokens leave on their request, as Envoy's jwt_authn: the payload (base64url) and chosen claims as
 * request headers, the payload as dynamic metadata of {@code envoy.filters.http.jwt_authn} under the provider's
 * {@code payload_in_metadata} key (so RBAC matches {@code [payload, iss]}, {@code [payload, groups]}), and, for
 * providers that do not forward it, the token's header removed.
 */
final class TokenOutputs {

    static final String METADATA_NAMESPACE = "envoy.filters.http.jwt_authn";

    private TokenOutputs() {
    }

    static void apply(List<RequestVerification.Verified> verified, RouteRequest request, DynamicMetadata metadata) {
        for (RequestVerification.Verified v : verified) {
            JwtProvider provider = v.provider();
            if (provider.payloadHeader() != null) {
                request.headers().set(provider.payloadHeader(), v.token().payloadSegment());
            }
            for (JwtProvider.ClaimHeader ch : provider.claimHeaders()) {
                String value = claimText(v.token().claims().getClaims(), ch.claim());
                if (value != null) {
                    request.headers().set(ch.header(), value);
                }
            }
            if (provider.payloadInMetadata() != null) {
                metadata.set(METADATA_NAMESPACE, Struct.newBuilder().putFields(provider.payloadInMetadata(),
                        Value.newBuilder().setStructValue(payload(v.token(), provider)).build()).build());
            }
        }
        for (RequestVerification.Verified v : verified) {
            if (!v.provider().forward()) {
                v.provider().locations().forEach(l -> l.remove(request));
            }
        }
    }

    /** A string, integer or boolean claim as header text; null for other kinds or an absent claim. */
    private static String claimText(Map<String, Object> claims, String dottedName) {
        Object value = claims;
        for (String part : dottedName.split("\\.")) {
            if (!(value instanceof Map<?, ?> map)) {
                return null;
            }
            value = map.get(part);
        }
        return switch (value) {
            case String s -> s;
            case Boolean b -> b.toString();
            case Long l -> l.toString();
            case Integer i -> i.toString();
            case Double d when d == Math.rint(d) -> Long.toString(d.longValue());
            case null, default -> null;
        };
    }

    private static Struct payload(ParsedToken token, JwtProvider provider) {
        Struct.Builder payload = Struct.newBuilder();
        try {
            JsonFormat.parser().merge(new String(token.jwt().getParsedParts()[1].decode(), StandardCharsets.UTF_8),
                    payload);
        } catch (InvalidProtocolBufferException e) {
            // The claims parsed as JSON already; protobuf refusing them leaves the metadata without a payload.
            return Struct.getDefaultInstance();
        }
        for (String claim : provider.spaceDelimitedClaims()) {
            Value v = payload.getFieldsMap().get(claim);
            if (v != null && v.hasStringValue()) {
                ListValue.Builder words = ListValue.newBuilder();
                Arrays.stream(v.getStringValue().split(" ")).filter(w -> !w.isEmpty())
                        .forEach(w -> words.addValues(Value.newBuilder().setStringValue(w)));
                payload.putFields(claim, Value.newBuilder().setListValue(words).build());
            }
        }
        return payload.build();
    }
}
