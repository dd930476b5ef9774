package io.emkit.spark.cli;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.FileAppender;

/**
 * Where Spark's log goes, for an error message to point at: {@code ./emkit} keeps Spark's logging out of the
 * terminal, in a file (emkit-spark-cli/src/main/config/log4j2.properties).
 */
final class SparkLog {
    private SparkLog() {
    }

    /**
     * @param message an error message about something Spark did
     * @return the message, followed by the file Spark logs into when it logs into one
     */
    static String naming(String message) {
        String file = file();
        return file == null ? message : message + " (Spark's log: " + file + ")";
    }

    /** The file the root logger writes into, or null (logging to the console, or not through Log4j 2). */
    private static String file() {
        try {
            if (LogManager.getContext(false) instanceof LoggerContext context) {
                for (Appender a : context.getConfiguration().getRootLogger().getAppenders().values()) {
                    if (a instanceof FileAppender f) {
                        return f.getFileName();
                    }
                }
            }
        } catch (RuntimeException | LinkageError e) {
            // No Log4j 2 core: nothing to name.
        }
        return null;
    }
}
