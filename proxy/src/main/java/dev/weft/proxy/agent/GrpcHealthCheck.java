package dev.weft.proxy.agent;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * gRPC's health check ({@code grpc.health.v1.Health/Check}) in its wire format, which the kubelet's gRPC probe and
 * Istio's agent call: a request {@code {string service = 1;}} and a response {@code {ServingStatus status = 1;}}
 * ({@code SERVING} is 1). Written by hand, as the CA's messages are: one field each way.
 */
final class GrpcHealthCheck {

    static final int SERVING = 1;

    static final MethodDescriptor<String, Integer> CHECK = MethodDescriptor.<String, Integer>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("grpc.health.v1.Health", "Check"))
            .setRequestMarshaller(new ServiceMarshaller())
            .setResponseMarshaller(new StatusMarshaller())
            .build();

    private GrpcHealthCheck() {
    }

    private static final class ServiceMarshaller implements MethodDescriptor.Marshaller<String> {
        @Override
        public InputStream stream(String service) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try {
                CodedOutputStream out = CodedOutputStream.newInstance(bytes);
                if (!service.isEmpty()) {
                    out.writeString(1, service);
                }
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new ByteArrayInputStream(bytes.toByteArray());
        }

        @Override
        public String parse(InputStream stream) {
            throw new UnsupportedOperationException("the agent only sends health checks");
        }
    }

    private static final class StatusMarshaller implements MethodDescriptor.Marshaller<Integer> {
        @Override
        public InputStream stream(Integer status) {
            throw new UnsupportedOperationException("the agent only reads health answers");
        }

        @Override
        public Integer parse(InputStream stream) {
            try {
                CodedInputStream in = CodedInputStream.newInstance(stream);
                int status = 0;
                int tag;
                while ((tag = in.readTag()) != 0) {
                    if (WireFormat.getTagFieldNumber(tag) == 1) {
                        status = in.readEnum();
                    } else {
                        in.skipField(tag);
                    }
                }
                return status;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
