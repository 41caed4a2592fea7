package dev.weft.proxy.config;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;

/**
 * A message type an {@link Any} may carry: matched by its type URL and parsed by the generated parser. Why not
 * {@code Any.is(Class)} and {@code Any.unpack(Class)}: they ask the message for its descriptor, which makes
 * protobuf-java build the type's reflection accessors, a {@code Method} for every getter and setter of the message
 * and its builder (4,000 of them in a one-hop proxy), each loading the types in its signature.
 */
public record MessageType<T extends Message>(String fullName, Parser<T> parser) {

    public static <T extends Message> MessageType<T> of(Descriptors.Descriptor descriptor, Parser<T> parser) {
        return new MessageType<>(descriptor.getFullName(), parser);
    }

    /** Whether {@code any} carries this type: its type URL ends with "/" and the type's full name. */
    public boolean isIn(Any any) {
        String url = any.getTypeUrl();
        int name = url.lastIndexOf('/') + 1;
        return url.length() - name == fullName.length() && url.startsWith(fullName, name);
    }

    /** The message {@code any} carries, if it is of this type. */
    public T unpack(Any any) throws InvalidProtocolBufferException {
        if (!isIn(any)) {
            throw new InvalidProtocolBufferException("Any carries " + any.getTypeUrl() + ", not " + fullName);
        }
        return parser.parseFrom(any.getValue());
    }

    /** The type's name without its package, for messages. */
    public String simpleName() {
        return fullName.substring(fullName.lastIndexOf('.') + 1);
    }
}
