package dev.weft.proxy.tracing;

/** Lower-case hex of 64-bit ids, as B3 and W3C write them, and strict parsing of it. */
final class Hex {

    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {
    }

    /** Sixteen hex digits, zero-padded. */
    static String of(long id) {
        char[] out = new char[16];
        for (int i = 15; i >= 0; i--) {
            out[i] = DIGITS[(int) (id & 0xF)];
            id >>>= 4;
        }
        return new String(out);
    }

    /** Whether {@code s[from, to)} is 1 to 16 hex digits; upper case is accepted, as Envoy does. */
    static boolean isHex(CharSequence s, int from, int to) {
        if (to <= from || to - from > 16) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The value of {@code s[from, to)}, which {@link #isHex} accepted. */
    static long parse(CharSequence s, int from, int to) {
        long value = 0;
        for (int i = from; i < to; i++) {
            value = (value << 4) | Character.digit(s.charAt(i), 16);
        }
        return value;
    }
}
