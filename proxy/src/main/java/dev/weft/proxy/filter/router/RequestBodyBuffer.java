package dev.weft.proxy.filter.router;

import dev.weft.proxy.upstream.UpstreamStream;
import io.netty.handler.codec.http.HttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * The request body on its way upstream. It is kept for replay to a retry (and the mirrors) while it fits in
 * {@link #RETRY_BUFFER_LIMIT}; past that, as in Envoy, retries stop being possible and chunks are handed over to
 * the upstream request instead of copied.
 */
final class RequestBodyBuffer {

    static final int RETRY_BUFFER_LIMIT = 64 * 1024;

    private final List<HttpContent> chunks = new ArrayList<>();
    private int bytes;
    private boolean replayable = true;

    void add(HttpContent chunk) {
        if (replayable) {
            bytes += chunk.content().readableBytes();
            if (bytes > RETRY_BUFFER_LIMIT) {
                replayable = false;
            }
        }
        chunks.add(chunk);
    }

    /** Whether every chunk so far is still here, so that a new try can be sent the whole body. */
    boolean replayable() {
        return replayable;
    }

    /**
     * Writes to {@code stream} the chunks after the first {@code sent} of them.
     *
     * @return how many chunks that stream has now had
     */
    int writeFrom(int sent, UpstreamStream stream) {
        while (sent < chunks.size()) {
            if (replayable) {
                stream.write(chunks.get(sent).retainedDuplicate());
                sent++;
            } else {
                // Past the replay limit: hand chunks over instead of keeping copies.
                stream.write(chunks.remove(sent));
            }
        }
        return sent;
    }

    void release() {
        chunks.forEach(ReferenceCountUtil::release);
        chunks.clear();
    }
}
