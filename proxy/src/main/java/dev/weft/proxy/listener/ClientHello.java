package dev.weft.proxy.listener;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the server name (SNI) and ALPN protocols from a TLS ClientHello without consuming it. Only the first
 * record is read; a ClientHello split across records yields no SNI, as a defensive simplification.
 */
record ClientHello(String serverName, List<String> alpn) {

    static final ClientHello EMPTY = new ClientHello(null, List.of());

    /** The length of the first TLS record including its header, or -1 until 5 header bytes are here. */
    static int recordLength(ByteBuf in) {
        if (in.readableBytes() < 5) {
            return -1;
        }
        return 5 + in.getUnsignedShort(in.readerIndex() + 3);
    }

    /** Parses the ClientHello in the first record; call once {@link #recordLength} bytes are readable. */
    static ClientHello parse(ByteBuf in) {
        int p = in.readerIndex() + 5;
        int end = in.readerIndex() + recordLength(in);
        try {
            if (in.getUnsignedByte(p) != 1) {
                return EMPTY;
            }
            p += 4 + 2 + 32;
            p += 1 + in.getUnsignedByte(p);
            p += 2 + in.getUnsignedShort(p);
            p += 1 + in.getUnsignedByte(p);
            if (p + 2 > end) {
                return EMPTY;
            }
            int extensionsEnd = Math.min(end, p + 2 + in.getUnsignedShort(p));
            p += 2;
            String sni = null;
            List<String> alpn = new ArrayList<>();
            while (p + 4 <= extensionsEnd) {
                int type = in.getUnsignedShort(p);
                int length = in.getUnsignedShort(p + 2);
                int data = p + 4;
                if (type == 0 && length > 5) {
                    int nameLength = in.getUnsignedShort(data + 3);
                    sni = in.toString(data + 5, nameLength, StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT);
                } else if (type == 16 && length > 2) {
                    int q = data + 2;
                    int listEnd = data + length;
                    while (q < listEnd) {
                        int l = in.getUnsignedByte(q);
                        alpn.add(in.toString(q + 1, l, StandardCharsets.US_ASCII));
                        q += 1 + l;
                    }
                }
                p = data + length;
            }
            return new ClientHello(sni, List.copyOf(alpn));
        } catch (IndexOutOfBoundsException e) {
            return EMPTY;
        }
    }
}
