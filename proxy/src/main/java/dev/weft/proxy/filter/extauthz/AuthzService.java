package dev.weft.proxy.filter.extauthz;

import dev.weft.proxy.filter.StreamFilterCallbacks;
import io.netty.buffer.ByteBuf;
import java.util.function.Consumer;

/** An authorization service ext_authz asks: over HTTP ({@code http_service}) or gRPC ({@code grpc_service}). */
interface AuthzService {

    /**
     * Starts checking the request, with the first bytes of its body when the filter buffers it (else null; the
     * service takes ownership); {@code done} hears the decision once, on the request's event loop.
     */
    AuthzCall check(StreamFilterCallbacks stream, ByteBuf body, Consumer<AuthzResult> done);
}
