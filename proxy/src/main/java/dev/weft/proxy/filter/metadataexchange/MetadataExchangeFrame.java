package dev.weft.proxy.filter.metadataexchange;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.proxy.config.MessageType;
import dev.weft.proxy.istio.WorkloadMetadata;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Istio's TCP metadata exchange frame, sent first by each side of an {@code istio-peer-exchange} connection: two
 * big-endian uint32, the magic {@code 0x3D230467} and the length of what follows, then a serialized
 * {@code google.protobuf.Any} holding a {@code google.protobuf.Struct} whose {@code x-envoy-peer-metadata} field is
 * the sender's node metadata (the same Struct the HTTP peer metadata header carries, base64-encoded).
 */
final class MetadataExchangeFrame {

    private static final MessageType<Struct> STRUCT_TYPE = MessageType.of(Struct.getDescriptor(), Struct.parser());

    static final int MAGIC = 0x3D230467;
    static final int HEADER_BYTES = 8;
    /**
     * Istio sets no bound of its own: Envoy stops reading past its 1 MiB per-connection buffer and waits. A longer
     * frame is not metadata, so its bytes pass as the connection's own.
     */
    static final int MAX_PAYLOAD_BYTES = 1 << 20;
    static final String METADATA_KEY = WorkloadMetadata.PEER_METADATA_HEADER;
    static final String STRUCT_TYPE_URL = "type.googleapis.com/google.protobuf.Struct";

    private MetadataExchangeFrame() {
    }

    /** How reading the front of the peer's bytes went. */
    enum Status {
        /** Not all of the frame is here yet; nothing was taken. */
        NEED_MORE,
        /** A frame was taken; {@link Read#peer} is who sent it ({@code unknown} if it did not say). */
        PEER,
        /** Not a frame: the peer does not exchange metadata. What was not taken belongs to the connection. */
        NOT_A_FRAME
    }

    record Read(Status status, WorkloadMetadata peer) {
        static final Read NEED_MORE = new Read(Status.NEED_MORE, null);
        static final Read NOT_A_FRAME = new Read(Status.NOT_A_FRAME, WorkloadMetadata.UNKNOWN);
    }

    /** The frame that introduces a workload whose node metadata is {@code node}. */
    static byte[] encode(Struct node) {
        Struct data = Struct.newBuilder()
                .putFields(METADATA_KEY, Value.newBuilder().setStructValue(node).build())
                .build();
        byte[] payload = Any.newBuilder().setTypeUrl(STRUCT_TYPE_URL).setValue(data.toByteString()).build()
                .toByteArray();
        return ByteBuffer.allocate(HEADER_BYTES + payload.length).putInt(MAGIC).putInt(payload.length).put(payload)
                .array();
    }

    /**
     * Reads a frame from the front of {@code in}, as Istio's filter does: a wrong magic or a length past
     * {@link #MAX_PAYLOAD_BYTES} takes nothing; a payload that is not an {@code Any} takes only the header.
     */
    static Read read(ByteBuf in) {
        if (in.readableBytes() < HEADER_BYTES) {
            return Read.NEED_MORE;
        }
        int start = in.readerIndex();
        long length = in.getUnsignedInt(start + 4);
        if (in.getInt(start) != MAGIC || length > MAX_PAYLOAD_BYTES) {
            return Read.NOT_A_FRAME;
        }
        if (in.readableBytes() < HEADER_BYTES + length) {
            return Read.NEED_MORE;
        }
        in.skipBytes(HEADER_BYTES);
        Any any;
        try {
            any = Any.parseFrom(new ByteBufInputStream(in.slice(in.readerIndex(), (int) length)));
        } catch (IOException e) {
            return Read.NOT_A_FRAME;
        }
        in.skipBytes((int) length);
        return new Read(Status.PEER, peer(any));
    }

    private static WorkloadMetadata peer(Any any) {
        if (!STRUCT_TYPE.isIn(any)) {
            return WorkloadMetadata.UNKNOWN;
        }
        try {
            Value node = STRUCT_TYPE.unpack(any).getFieldsMap().get(METADATA_KEY);
            return node == null || !node.hasStructValue() ? WorkloadMetadata.UNKNOWN
                    : WorkloadMetadata.fromNodeMetadata(node.getStructValue());
        } catch (InvalidProtocolBufferException e) {
            return WorkloadMetadata.UNKNOWN;
        }
    }
}
