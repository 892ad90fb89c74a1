package dev.meshunit.journal;

import java.nio.charset.StandardCharsets;

/**
 * The byte format of a packed exchange: unsigned LEB128 varints, zigzag for signed values, strings as a varint
 * tag ({@code 0} for null, else {@code (chars << 1 | wide) + 1}) and their characters: one byte each when all are
 * ASCII (headers and paths, nearly always), else two (UTF-16, so that any string, lone surrogates included, comes
 * back as it went).
 */
final class Packing {
    private static final byte[] NOTHING = new byte[0];

    private Packing() {}

    /**
     * Writes into a region of an array and never grows it: past the region it only notes {@link #overflow()}, so
     * that the caller can retry in a larger region without an exception or a copy per exchange.
     */
    static final class Writer {
        private byte[] buf = NOTHING;
        private int pos;
        private int limit;
        private boolean overflow;

        void reset(byte[] target, int from, int to) {
            buf = target;
            pos = from;
            limit = to;
            overflow = false;
        }

        /** Points at nothing, so that a scratch array it wrote into can go. */
        void release() {
            reset(NOTHING, 0, 0);
        }

        boolean overflow() {
            return overflow;
        }

        int position() {
            return pos;
        }

        void u8(int v) {
            if (pos >= limit) {
                overflow = true;
                return;
            }
            buf[pos++] = (byte) v;
        }

        void varint(long v) {
            while ((v & ~0x7FL) != 0) {
                u8((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            u8((int) v);
        }

        void signed(long v) {
            varint((v << 1) ^ (v >> 63));
        }

        void bool(boolean v) {
            u8(v ? 1 : 0);
        }

        void f64(double v) {
            long bits = Double.doubleToRawLongBits(v);
            for (int i = 0; i < 8; i++) u8((int) (bits >>> (8 * i)));
        }

        void str(String s) {
            if (s == null) {
                u8(0);
                return;
            }
            int start = pos;
            int n = s.length();
            varint(((long) n << 1) + 1);
            if (pos + n > limit) {
                overflow = true;
                return;
            }
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x80) { // rare: start again, two bytes a character
                    pos = start;
                    wide(s);
                    return;
                }
                buf[pos + i] = (byte) c;
            }
            pos += n;
        }

        private void wide(String s) {
            int n = s.length();
            varint(((long) n << 1 | 1) + 1);
            if (pos + 2L * n > limit) {
                overflow = true;
                return;
            }
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                buf[pos++] = (byte) (c >>> 8);
                buf[pos++] = (byte) c;
            }
        }

        void bytes(byte[] b) {
            varint(b.length);
            raw(b, 0, b.length);
        }

        private void raw(byte[] b, int off, int len) {
            if (pos + len > limit) {
                overflow = true;
                return;
            }
            System.arraycopy(b, off, buf, pos, len);
            pos += len;
        }
    }

    /** Reads what a {@link Writer} wrote. */
    static final class Reader {
        private final byte[] buf;
        private int pos;

        Reader(byte[] buf, int from) {
            this.buf = buf;
            this.pos = from;
        }

        int u8() {
            return buf[pos++] & 0xFF;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; ; shift += 7) {
                int b = u8();
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) return v;
            }
        }

        int int32() {
            return (int) varint();
        }

        long signed() {
            long v = varint();
            return (v >>> 1) ^ -(v & 1);
        }

        boolean bool() {
            return u8() != 0;
        }

        double f64() {
            long bits = 0;
            for (int i = 0; i < 8; i++) bits |= (long) u8() << (8 * i);
            return Double.longBitsToDouble(bits);
        }

        String str() {
            long tag = varint();
            if (tag == 0) return null;
            int chars = (int) ((tag - 1) >>> 1);
            if (((tag - 1) & 1) == 0) {
                String s = new String(buf, pos, chars, StandardCharsets.ISO_8859_1);
                pos += chars;
                return s;
            }
            char[] c = new char[chars];
            for (int i = 0; i < chars; i++, pos += 2) c[i] = (char) ((buf[pos] & 0xFF) << 8 | (buf[pos + 1] & 0xFF));
            return new String(c);
        }

        byte[] bytes() {
            int len = int32();
            byte[] b = java.util.Arrays.copyOfRange(buf, pos, pos + len);
            pos += len;
            return b;
        }
    }
}
