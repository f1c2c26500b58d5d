package dev.modelregistry.sqlite;

import dev.modelregistry.SemVer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes SemVer precedence into bytes whose unsigned lexicographic order (SQLite's {@code memcmp}
 * order for BLOBs) is {@link SemVer#compareTo}, so that {@code ORDER BY precedence} sorts versions
 * the way the core does and an equality on the key is equality of versions.
 *
 * <p>Layout: major, minor and patch as 4-byte big-endian (they are never negative); then
 * {@code 0x02} for a release, or {@code 0x01} followed by the pre-release identifiers and
 * {@code 0x00}, so every pre-release sorts below its release. A numeric identifier is {@code 0x01},
 * its digit count as 2 bytes and its digits (numeric identifiers have no leading zeros, so more
 * digits means a larger number); an alphanumeric one is {@code 0x02}, its ASCII bytes and
 * {@code 0x00}, which puts numeric identifiers below alphanumeric ones, orders alphanumeric ones in
 * ASCII order with a prefix first, and makes a longer identifier list sort above its prefix (the
 * end marker {@code 0x00} is below both identifier markers). Build metadata is not encoded.
 */
final class PrecedenceKey {
    private static final int END = 0x00;
    private static final int PRE_RELEASE = 0x01;
    private static final int RELEASE = 0x02;
    private static final int NUMERIC = 0x01;
    private static final int ALPHANUMERIC = 0x02;

    private PrecedenceKey() {
    }

    static byte[] of(SemVer version) {
        List<String> pre = version.preRelease();
        ByteArrayOutputStream out = new ByteArrayOutputStream(13 + (pre.isEmpty() ? 0 : 32));
        writeInt(out, version.major());
        writeInt(out, version.minor());
        writeInt(out, version.patch());
        if (pre.isEmpty()) {
            out.write(RELEASE);
            return out.toByteArray();
        }
        out.write(PRE_RELEASE);
        for (String id : pre) {
            byte[] ascii = id.getBytes(StandardCharsets.US_ASCII);
            if (isNumeric(id)) {
                out.write(NUMERIC);
                out.write(ascii.length >>> 8);
                out.write(ascii.length & 0xff);
                out.writeBytes(ascii);
            } else {
                out.write(ALPHANUMERIC);
                out.writeBytes(ascii);
                out.write(END);
            }
        }
        out.write(END);
        return out.toByteArray();
    }

    /** Unsigned lexicographic comparison, shorter first on a common prefix: what SQLite does for BLOBs. */
    static int compare(byte[] a, byte[] b) {
        return java.util.Arrays.compareUnsigned(a, b);
    }

    private static void writeInt(ByteArrayOutputStream out, int value) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }

    private static boolean isNumeric(String id) {
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
