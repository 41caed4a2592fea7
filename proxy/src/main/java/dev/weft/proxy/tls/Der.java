package dev.weft.proxy.tls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The few ASN.1 DER pieces the proxy writes and reads itself (a certificate request, private-key wrappers), so it
 * needs no ASN.1 library on its class path. Writing: each method returns one complete element. Reading:
 * {@link #parse} takes one element apart; a malformed or truncated encoding is an {@link IllegalArgumentException}.
 */
public final class Der {

    public static final int INTEGER = 0x02;
    public static final int OCTET_STRING = 0x04;
    public static final int OBJECT_IDENTIFIER = 0x06;
    public static final int SEQUENCE = 0x30;

    private static final int BOOLEAN = 0x01;
    private static final int BIT_STRING = 0x03;
    private static final int NULL = 0x05;
    private static final int SET = 0x31;
    private static final int CONTEXT = 0x80;
    private static final int CONSTRUCTED = 0x20;

    private Der() {
    }

    /** One element taken apart: its identifier octet and its content octets. */
    public record Element(int tag, byte[] content) {

        /** The elements a constructed element holds, in order. */
        public List<Element> children() {
            List<Element> children = new ArrayList<>();
            int at = 0;
            while (at < content.length) {
                int end = end(content, at);
                children.add(element(content, at, end));
                at = end;
            }
            return children;
        }

        /** This element encoded again, byte for byte as it was read. */
        public byte[] encoded() {
            return tagged(tag, content);
        }

        /** Whether this is the context-specific tag {@code [number]}, primitive or constructed. */
        public boolean isContext(int number) {
            return (tag & ~CONSTRUCTED) == (CONTEXT | number);
        }

        /** An OBJECT IDENTIFIER's dotted form, e.g. {@code 1.2.840.10045.2.1}. */
        public String oid() {
            require(OBJECT_IDENTIFIER);
            StringBuilder dotted = new StringBuilder();
            BigInteger arc = BigInteger.ZERO;
            for (int i = 0; i < content.length; i++) {
                arc = arc.shiftLeft(7).or(BigInteger.valueOf(content[i] & 0x7f));
                if ((content[i] & 0x80) != 0) {
                    continue;
                }
                if (dotted.isEmpty()) {
                    int first = arc.compareTo(BigInteger.valueOf(80)) >= 0 ? 2 : arc.intValue() / 40;
                    dotted.append(first).append('.').append(arc.subtract(BigInteger.valueOf(40L * first)));
                } else {
                    dotted.append('.').append(arc);
                }
                arc = BigInteger.ZERO;
            }
            return dotted.toString();
        }

        /** Checks the tag, so a structure of the wrong shape fails where it is read. */
        public Element require(int expected) {
            if (tag != expected) {
                throw new IllegalArgumentException("expected DER tag 0x" + Integer.toHexString(expected) + ", found 0x"
                        + Integer.toHexString(tag));
            }
            return this;
        }
    }

    /** The one element {@code der} holds; trailing bytes are an error. */
    public static Element parse(byte[] der) {
        int end = end(der, 0);
        if (end != der.length) {
            throw new IllegalArgumentException("trailing bytes after the DER element");
        }
        return element(der, 0, end);
    }

    public static byte[] sequence(byte[]... elements) {
        return tagged(SEQUENCE, concat(elements));
    }

    public static byte[] set(byte[]... elements) {
        return tagged(SET, concat(elements));
    }

    /** {@code [number]} IMPLICIT over constructed content (e.g. a SET OF), i.e. the elements re-tagged. */
    public static byte[] contextConstructed(int number, byte[]... elements) {
        return tagged(CONTEXT | CONSTRUCTED | number, concat(elements));
    }

    /** {@code [number]} IMPLICIT over a primitive string type: its bytes under the context tag. */
    public static byte[] contextPrimitive(int number, String ascii) {
        return tagged(CONTEXT | number, ascii.getBytes(StandardCharsets.US_ASCII));
    }

    public static byte[] integer(long value) {
        return tagged(INTEGER, BigInteger.valueOf(value).toByteArray());
    }

    public static byte[] bool(boolean value) {
        return tagged(BOOLEAN, new byte[] {(byte) (value ? 0xff : 0)});
    }

    public static byte[] nullValue() {
        return tagged(NULL, new byte[0]);
    }

    /** A BIT STRING of whole bytes (no unused bits), as signatures and keys are. */
    public static byte[] bitString(byte[] bytes) {
        byte[] content = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, content, 1, bytes.length);
        return tagged(BIT_STRING, content);
    }

    public static byte[] octetString(byte[] bytes) {
        return tagged(OCTET_STRING, bytes);
    }

    public static byte[] oid(String dotted) {
        String[] parts = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        base128(out, new BigInteger(parts[0]).multiply(BigInteger.valueOf(40)).add(new BigInteger(parts[1])));
        for (int i = 2; i < parts.length; i++) {
            base128(out, new BigInteger(parts[i]));
        }
        return tagged(OBJECT_IDENTIFIER, out.toByteArray());
    }

    private static void base128(ByteArrayOutputStream out, BigInteger arc) {
        int groups = Math.max(1, (arc.bitLength() + 6) / 7);
        for (int g = groups - 1; g >= 0; g--) {
            int seven = arc.shiftRight(7 * g).intValue() & 0x7f;
            out.write(g == 0 ? seven : seven | 0x80);
        }
    }

    private static byte[] tagged(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int octets = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | octets);
            for (int i = octets - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Where the element starting at {@code start} ends, checked against the bytes there are. */
    private static int end(byte[] der, int start) {
        int at = start + 1;
        if (at >= der.length) {
            throw new IllegalArgumentException("truncated DER element");
        }
        if ((der[start] & 0x1f) == 0x1f) {
            throw new IllegalArgumentException("multi-byte DER tags are not supported");
        }
        int first = der[at++] & 0xff;
        long length = first;
        if (first >= 0x80) {
            int octets = first & 0x7f;
            if (octets == 0 || octets > 4 || at + octets > der.length) {
                throw new IllegalArgumentException("bad DER length");
            }
            length = 0;
            for (int i = 0; i < octets; i++) {
                length = (length << 8) | (der[at++] & 0xff);
            }
        }
        if (at + length > der.length) {
            throw new IllegalArgumentException("truncated DER element");
        }
        return at + (int) length;
    }

    private static Element element(byte[] der, int start, int end) {
        int first = der[start + 1] & 0xff;
        int header = 2 + (first >= 0x80 ? first & 0x7f : 0);
        return new Element(der[start] & 0xff, Arrays.copyOfRange(der, start + header, end));
    }
}
