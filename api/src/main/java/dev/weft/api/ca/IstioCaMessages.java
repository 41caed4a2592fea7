package dev.weft.api.ca;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The two messages of Istio's {@code istio.v1.auth.IstioCertificateService}, in their protobuf wire format
 * (security/proto/pki/ca.proto): a request {@code {string csr = 1; int64 validity_duration = 3;
 * google.protobuf.Struct metadata = 4;}} and a response {@code {repeated string cert_chain = 1;}}. Written by
 * hand because the service is two fields each way; an Istio agent or ztunnel can talk to it unchanged.
 */
public final class IstioCaMessages {

    public static final String SERVICE = "istio.v1.auth.IstioCertificateService";

    /** A certificate request; the metadata (field 4) is read past, as weftd identifies callers by their token. */
    public record Request(String csr, long validityDurationSeconds) {
    }

    public record Response(List<String> certChain) {

        public Response {
            certChain = List.copyOf(certChain);
        }
    }

    public static final MethodDescriptor<Request, Response> CREATE_CERTIFICATE =
            MethodDescriptor.<Request, Response>newBuilder()
                    .setType(MethodDescriptor.MethodType.UNARY)
                    .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "CreateCertificate"))
                    .setRequestMarshaller(new Codec<>(IstioCaMessages::writeRequest, IstioCaMessages::readRequest))
                    .setResponseMarshaller(new Codec<>(IstioCaMessages::writeResponse, IstioCaMessages::readResponse))
                    .build();

    private IstioCaMessages() {
    }

    private static void writeRequest(Request r, CodedOutputStream out) throws IOException {
        out.writeString(1, r.csr());
        if (r.validityDurationSeconds() != 0) {
            out.writeInt64(3, r.validityDurationSeconds());
        }
    }

    private static Request readRequest(CodedInputStream in) throws IOException {
        String csr = "";
        long validity = 0;
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> csr = in.readStringRequireUtf8();
                case 3 -> validity = in.readInt64();
                default -> in.skipField(tag);
            }
        }
        return new Request(csr, validity);
    }

    private static void writeResponse(Response r, CodedOutputStream out) throws IOException {
        for (String cert : r.certChain()) {
            out.writeString(1, cert);
        }
    }

    private static Response readResponse(CodedInputStream in) throws IOException {
        List<String> chain = new ArrayList<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(tag) == 1) {
                chain.add(in.readStringRequireUtf8());
            } else {
                in.skipField(tag);
            }
        }
        return new Response(chain);
    }

    private interface Writer<T> {
        void write(T message, CodedOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(CodedInputStream in) throws IOException;
    }

    /** gRPC's marshaller over a writer and a reader; a message that does not parse fails the call. */
    private record Codec<T>(Writer<T> writer, Reader<T> reader) implements MethodDescriptor.Marshaller<T> {

        /** Certificate requests and chains are a few KB; this bounds what one message may hold. */
        private static final int MAX_MESSAGE_BYTES = 1 << 20;

        @Override
        public InputStream stream(T value) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            try {
                writer.write(value, out);
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new ByteArrayInputStream(bytes.toByteArray());
        }

        @Override
        public T parse(InputStream stream) {
            CodedInputStream in = CodedInputStream.newInstance(stream);
            in.setSizeLimit(MAX_MESSAGE_BYTES);
            try {
                return reader.read(in);
            } catch (IOException e) {
                throw new IllegalArgumentException("not an Istio CA message: " + e.getMessage(), e);
            }
        }
    }
}
