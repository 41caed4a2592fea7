package dev.weft.examples.app;

/** The outcome of one call to a peer service: an HTTP answer of any status, or no answer at all. */
public sealed interface PeerReply {
    /** True for a 200, the only answer the samples treat as success. */
    boolean ok();

    record Answer(int status, String body) implements PeerReply {
        @Override
        public boolean ok() {
            return status == 200;
        }
    }

    /** Timed out, refused, reset: {@code reason} says which. */
    record NoAnswer(String reason) implements PeerReply {
        @Override
        public boolean ok() {
            return false;
        }
    }
}
