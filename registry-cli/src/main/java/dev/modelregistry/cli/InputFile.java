package dev.modelregistry.cli;

import dev.modelregistry.MetadataTooLargeException;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.ValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A JSON document the user hands the command line (a metadata file, a gate or access policy):
 * read whole, but never more than {@link #MAX_BYTES}, as strict UTF-8 without a byte order mark.
 * Whatever is wrong with the file is named with the file, before anything is opened or stored.
 */
final class InputFile {
    /**
     * Far above any valid document (a version record is at most 1 MiB, see {@code Limits}), far below
     * what would strain a command-line JVM: a larger file is refused without being read.
     */
    static final int MAX_BYTES = 16 * 1024 * 1024;

    private InputFile() {
    }

    /** The text of {@code file}, the "{@code what} file" of the messages (e.g. "Metadata", "Policy"). */
    static String readJson(String what, Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NotFoundException(what + " file " + file + " does not exist or is not a regular file");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            // Bounded even when the file grows, or its size is not what the file system reports.
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        if (bytes.length > MAX_BYTES) {
            throw new MetadataTooLargeException(what + " file " + file + " is " + Text.bytes(Math.max(Files.size(file), bytes.length))
                    + "; the limit is " + Text.bytes(MAX_BYTES));
        }
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf) {
            throw new ValidationException(what + " file " + file + " starts with a byte order mark (U+FEFF); save it as UTF-8 without one");
        }
        String text = utf8(what, file, bytes);
        if (text.isBlank()) {
            throw new ValidationException(what + " file " + file + " is empty; expected a JSON object");
        }
        return text;
    }

    private static String utf8(String what, Path file, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int at = Math.min(in.position(), bytes.length - 1);
            throw new ValidationException(what + " file " + file + " is not UTF-8 text: invalid byte 0x"
                    + String.format("%02x", bytes[at] & 0xff) + " at offset " + at);
        }
        return out.flip().toString();
    }
}
