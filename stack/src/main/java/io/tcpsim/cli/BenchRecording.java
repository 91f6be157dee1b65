package io.tcpsim.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.text.ParseException;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * A Java Flight Recorder recording of a {@code tcpsim bench} run ({@code --jfr FILE}): the JDK's
 * "profile" settings, CPU samples every 10 ms, and allocation samples throttled far less than by
 * default (150/s), so that a few seconds of a case show the steady state's allocation sites.
 * Written to the file when closed.
 */
final class BenchRecording implements AutoCloseable {
    private static final String ALLOCATION_THROTTLE = "5000/s";

    private final Recording recording;
    private final Path file;

    private BenchRecording(Recording recording, Path file) {
        this.recording = recording;
        this.file = file;
    }

    static BenchRecording start(Path file) throws IOException {
        Recording recording;
        try {
            recording = new Recording(Configuration.getConfiguration("profile"));
        } catch (ParseException e) {
            throw new IOException("the JDK's JFR 'profile' settings do not parse: " + e.getMessage(), e);
        }
        recording.enable("jdk.ObjectAllocationSample").with("throttle", ALLOCATION_THROTTLE);
        recording.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(10));
        recording.setToDisk(true);
        recording.start();
        return new BenchRecording(recording, file);
    }

    @Override
    public void close() throws IOException {
        recording.stop();
        recording.dump(file);
        recording.close();
    }
}
