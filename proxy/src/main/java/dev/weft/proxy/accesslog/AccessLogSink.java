package dev.weft.proxy.accesslog;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Where access log lines go: a file (appended, opened once) or a standard stream. */
public interface AccessLogSink {

    void write(String line);

    static AccessLogSink stream(PrintStream out) {
        return out::print;
    }

    static AccessLogSink file(Path path) {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return line -> {
            try {
                channel.write(java.nio.ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
            } catch (IOException ignored) {
                // A full disk must not break request handling; the line is lost.
            }
        };
    }
}
