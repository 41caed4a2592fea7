package dev.weft.xds.authz;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.extensions.path.match.uri_template.v3.UriTemplateMatchConfig;
import io.envoyproxy.envoy.type.matcher.v3.PathMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.type.matcher.v3.ValueMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A request attribute a rule can check (a Source or Operation field, or a {@code when} key of SEMANTICS §8) and
 * the Envoy RBAC matcher one of its values becomes, as Istio's authz model generators build them. Attributes of
 * the destination are permissions, those of the peer and the request's credentials principals. Most take one
 * value at a time (the values are ORed); the JWT and Envoy metadata ones take the whole list into one matcher.
 */
enum Attribute {
    DESTINATION_IP(false, false, false),
    DESTINATION_PORT(false, false, false),
    CONNECTION_SNI(false, false, false),
    ENVOY_FILTER(false, true, false),
    HOST(false, false, true),
    METHOD(false, false, true),
    PATH(false, false, true),
    SOURCE_IP(true, false, false),
    REMOTE_IP(true, false, false),
    SOURCE_NAMESPACE(true, false, false),
    SOURCE_TRUST_DOMAIN(true, false, false),
    SOURCE_SERVICE_ACCOUNT(true, false, false),
    SOURCE_PRINCIPAL(true, false, false),
    REQUEST_HEADER(true, false, true),
    REQUEST_PRINCIPAL(true, true, true),
    REQUEST_AUDIENCES(true, true, true),
    REQUEST_PRESENTER(true, true, true),
    REQUEST_CLAIMS(true, true, true);

    private static final String SPIFFE = "spiffe://";
    private static final Pattern NESTED_CLAIMS = Pattern.compile("(\\[[^\\[\\]]*])+");

    private final boolean ofPeer;
    private final boolean wholeList;
    private final boolean httpOnly;

    Attribute(boolean ofPeer, boolean wholeList, boolean httpOnly) {
        this.ofPeer = ofPeer;
        this.wholeList = wholeList;
        this.httpOnly = httpOnly;
    }

    /** Whether it becomes a principal (the peer and its credentials) rather than a permission. */
    boolean isPrincipal() {
        return ofPeer;
    }

    boolean takesWholeList() {
        return wholeList;
    }

    /** The attribute a {@code when} key names; empty for a key Istio does not know. */
    static Optional<Attribute> ofKey(String key) {
        return Optional.ofNullable(switch (key) {
            case "destination.ip" -> DESTINATION_IP;
            case "destination.port" -> DESTINATION_PORT;
            case "connection.sni" -> CONNECTION_SNI;
            case "source.ip" -> SOURCE_IP;
            case "remote.ip" -> REMOTE_IP;
            case "source.namespace" -> SOURCE_NAMESPACE;
            case "source.trustDomain" -> SOURCE_TRUST_DOMAIN;
            case "source.serviceAccount" -> SOURCE_SERVICE_ACCOUNT;
            case "source.principal" -> SOURCE_PRINCIPAL;
            case "request.auth.principal" -> REQUEST_PRINCIPAL;
            case "request.auth.audiences" -> REQUEST_AUDIENCES;
            case "request.auth.presenter" -> REQUEST_PRESENTER;
            default -> key.startsWith("experimental.envoy.filters.") ? ENVOY_FILTER
                    : key.startsWith("request.headers") ? REQUEST_HEADER
                    : key.startsWith("request.auth.claims") ? REQUEST_CLAIMS
                    : null;
        });
    }

    /** The permission one value of a destination attribute becomes. */
    Permission permission(String key, String value, boolean forTcp) throws Inexpressible {
        checkProtocol(key, forTcp);
        return switch (this) {
            case DESTINATION_IP -> Permission.newBuilder().setDestinationIp(CidrRanges.of(value)).build();
            case DESTINATION_PORT -> Permission.newBuilder().setDestinationPort(port(value)).build();
            case CONNECTION_SNI -> Permission.newBuilder().setRequestedServerName(RbacMatchers.string(value)).build();
            case HOST -> Permission.newBuilder().setHeader(RbacMatchers.header(":authority", value, true)).build();
            case METHOD -> Permission.newBuilder().setHeader(RbacMatchers.header(":method", value, false)).build();
            case PATH -> path(value);
            default -> throw new IllegalStateException(this + " is not a permission");
        };
    }

    /** The permission all values of a whole-list destination attribute become. */
    Permission permission(String key, List<String> values, boolean forTcp) throws Inexpressible {
        checkProtocol(key, forTcp);
        if (this != ENVOY_FILTER) {
            throw new IllegalStateException(this + " is not a whole-list permission");
        }
        // experimental.envoy.filters.a.b[c]: the metadata of filter envoy.filters.a.b under key c.
        String trimmed = key.substring("experimental.".length());
        trimmed = trimmed.endsWith("]") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
        int bracket = trimmed.indexOf('[');
        if (bracket < 0) {
            throw new Inexpressible("invalid key " + key);
        }
        List<ValueMatcher> matchers = new ArrayList<>();
        for (String value : values) {
            // [v] matches an element of a list value, v the value itself.
            matchers.add(value.startsWith("[") && value.endsWith("]")
                    ? RbacMatchers.oneOfList(RbacMatchers.stringValue(RbacMatchers.string(trimBrackets(value))))
                    : RbacMatchers.stringValue(RbacMatchers.string(value)));
        }
        return Permission.newBuilder().setMetadata(RbacMatchers.metadata(trimmed.substring(0, bracket),
                List.of(trimmed.substring(bracket + 1)), RbacMatchers.or(matchers))).build();
    }

    /** The principal one value of a peer attribute becomes; {@code namespace} is the policy's. */
    Principal principal(String key, String value, boolean forTcp, String namespace) throws Inexpressible {
        checkProtocol(key, forTcp);
        return switch (this) {
            case SOURCE_IP -> Principal.newBuilder().setDirectRemoteIp(CidrRanges.of(value)).build();
            case REMOTE_IP -> Principal.newBuilder().setRemoteIp(CidrRanges.of(value)).build();
            case SOURCE_NAMESPACE -> authenticated(RbacMatchers.regex(".*/ns/" + wildcardRegex(value) + "/.*"));
            case SOURCE_TRUST_DOMAIN -> authenticated(trustDomain(value));
            case SOURCE_SERVICE_ACCOUNT -> authenticated(RbacMatchers.regex(serviceAccountRegex(namespace, value)));
            case SOURCE_PRINCIPAL -> authenticated(RbacMatchers.stringWithPrefix(value, SPIFFE));
            case REQUEST_HEADER -> Principal.newBuilder()
                    .setHeader(RbacMatchers.header(nameInBrackets(key, "request.headers"), value, false)).build();
            default -> throw new IllegalStateException(this + " is not a principal");
        };
    }

    /** The principal all values of a whole-list credential attribute become. */
    Principal principal(String key, List<String> values, boolean forTcp) throws Inexpressible {
        checkProtocol(key, forTcp);
        return switch (this) {
            case REQUEST_PRINCIPAL -> requestPrincipals(values);
            case REQUEST_AUDIENCES -> jwtClaim(List.of("aud"), values);
            case REQUEST_PRESENTER -> jwtClaim(List.of("azp"), values);
            case REQUEST_CLAIMS -> jwtClaim(claims(key), values);
            default -> throw new IllegalStateException(this + " is not a whole-list principal");
        };
    }

    private void checkProtocol(String key, boolean forTcp) throws Inexpressible {
        if (forTcp && httpOnly) {
            throw new Inexpressible("\"" + key + "\" is HTTP only");
        }
    }

    private static int port(String value) throws Inexpressible {
        if (!value.matches("\\d{1,5}") || Integer.parseInt(value) > 65535) {
            throw new Inexpressible("invalid port " + value);
        }
        return Integer.parseInt(value);
    }

    /** Paths with URI templates ({@code {*}} one segment, {@code {**}} any) use Envoy's uri_template matcher. */
    private static Permission path(String value) {
        if (value.contains("{*}") || value.contains("{**}")) {
            UriTemplateMatchConfig template = UriTemplateMatchConfig.newBuilder()
                    .setPathTemplate(value.replace("{**}", "**").replace("{*}", "*")).build();
            return Permission.newBuilder().setUriTemplate(TypedExtensionConfig.newBuilder().setName("uri-template")
                    .setTypedConfig(Any.pack(template))).build();
        }
        return Permission.newBuilder().setUrlPath(PathMatcher.newBuilder().setPath(RbacMatchers.string(value)))
                .build();
    }

    private static Principal authenticated(StringMatcher name) {
        return Principal.newBuilder().setAuthenticated(Principal.Authenticated.newBuilder().setPrincipalName(name))
                .build();
    }

    /** {@code *} in a namespace or trust domain value matches any characters; the rest is literal. */
    private static String wildcardRegex(String value) {
        List<String> parts = new ArrayList<>();
        for (String literal : value.split("\\*", -1)) {
            parts.add(RbacMatchers.quoteMeta(literal));
        }
        return String.join(".*", parts);
    }

    private static StringMatcher trustDomain(String value) {
        if (value.equals("*")) {
            return RbacMatchers.prefix(SPIFFE, false);
        }
        if (!value.contains("*")) {
            return RbacMatchers.prefix(SPIFFE + value + "/", false);
        }
        int star = value.indexOf('*');
        return RbacMatchers.regex(SPIFFE + RbacMatchers.quoteMeta(value.substring(0, star)) + "[^/]*"
                + RbacMatchers.quoteMeta(value.substring(star + 1)) + "/.*");
    }

    /**
     * {@code sa} (in the policy's namespace) or {@code ns/sa}: the SPIFFE ID of that service account, allowing
     * extra key/value segments between the parts and after it, but not a longer account name.
     */
    private static String serviceAccountRegex(String namespace, String value) {
        int slash = value.indexOf('/');
        String ns = slash < 0 ? namespace : value.substring(0, slash);
        String sa = slash < 0 ? value : value.substring(slash + 1);
        return "spiffe://.+/ns/" + RbacMatchers.quoteMeta(ns) + "/(.+/|)sa/" + RbacMatchers.quoteMeta(sa) + "(/.+)?";
    }

    /** {@code <iss>/<sub>} with the four string forms; the issuer may itself hold slashes (a URL). */
    private static Principal requestPrincipals(List<String> values) {
        StringMatcher any = RbacMatchers.regex(".+");
        List<Principal> or = new ArrayList<>();
        for (String value : values) {
            int idx = value.lastIndexOf('/');
            boolean found = idx >= 0;
            String iss = found ? value.substring(0, idx) : value;
            String sub = found ? value.substring(idx + 1) : "";
            StringMatcher matchIss;
            StringMatcher matchSub;
            if (value.equals("*")) {
                matchIss = any;
                matchSub = any;
            } else if (value.startsWith("*")) {
                matchIss = !found ? any : iss.equals("*") ? any : RbacMatchers.suffix(iss.substring(1), false);
                matchSub = found ? RbacMatchers.exact(sub, false) : RbacMatchers.suffix(value.substring(1), false);
            } else if (value.endsWith("*")) {
                matchIss = found ? RbacMatchers.exact(iss, false)
                        : RbacMatchers.prefix(value.substring(0, value.length() - 1), false);
                matchSub = !found ? any
                        : sub.equals("*") ? any : RbacMatchers.prefix(sub.substring(0, sub.length() - 1), false);
            } else {
                matchIss = RbacMatchers.exact(iss, false);
                matchSub = RbacMatchers.exact(sub, false);
            }
            or.add(Principal.newBuilder().setAndIds(Principal.Set.newBuilder()
                    .addIds(jwtString("iss", matchIss))
                    .addIds(jwtString("sub", matchSub))).build());
        }
        return or.size() == 1 ? or.getFirst() : Principal.newBuilder().setOrIds(Principal.Set.newBuilder().addAllIds(or))
                .build();
    }

    private static Principal jwtString(String claim, StringMatcher matcher) {
        return Principal.newBuilder().setMetadata(RbacMatchers.metadata(RbacMatchers.JWT_FILTER,
                List.of(RbacMatchers.JWT_PAYLOAD, claim), RbacMatchers.stringValue(matcher))).build();
    }

    private static Principal jwtClaim(List<String> claims, List<String> values) {
        return Principal.newBuilder().setMetadata(RbacMatchers.jwtClaim(claims, RbacMatchers.stringOr(values)))
                .build();
    }

    /** {@code [name]} after the prefix of the key. */
    private static String nameInBrackets(String key, String prefix) throws Inexpressible {
        String rest = key.substring(prefix.length());
        if (!rest.startsWith("[") || !rest.endsWith("]")) {
            throw new Inexpressible("expecting format [<NAME>], but found " + rest);
        }
        return rest.substring(1, rest.length() - 1);
    }

    /** {@code [a][b]} names nested claims a.b; anything else is read as one {@code [name]}. */
    private static List<String> claims(String key) throws Inexpressible {
        String rest = key.substring("request.auth.claims".length());
        if (!NESTED_CLAIMS.matcher(rest).matches()) {
            return List.of(nameInBrackets(key, "request.auth.claims"));
        }
        List<String> claims = new ArrayList<>();
        for (String part : rest.substring(1, rest.length() - 1).split("]\\[", -1)) {
            claims.add(part);
        }
        return claims;
    }

    private static String trimBrackets(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && (value.charAt(start) == '[' || value.charAt(start) == ']')) {
            start++;
        }
        while (end > start && (value.charAt(end - 1) == '[' || value.charAt(end - 1) == ']')) {
            end--;
        }
        return value.substring(start, end);
    }
}
