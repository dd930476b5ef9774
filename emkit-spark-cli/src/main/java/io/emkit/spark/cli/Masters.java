package io.emkit.spark.cli;

import io.emkit.EmkitException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.regex.Pattern;

/**
 * Checks a {@code --master} before Spark starts, so that a typo or a master that is down ends in one line at once.
 * Spark itself would log a stack trace for an unknown URL, and for an unreachable standalone master would retry
 * its registration for a minute before giving up.
 */
final class Masters {
    /** The master URLs Spark 3.5 knows (SparkContext.createTaskScheduler and the cluster managers it loads). */
    private static final Pattern KNOWN = Pattern.compile(
            "local(\\[(\\*|\\d+)(,\\d+)?])?|local-cluster\\[.*]|spark://.+|yarn|k8s://.+|mesos://.+");
    /** How long to wait for a standalone master to accept a connection. */
    private static final int CONNECT_TIMEOUT_MILLIS = 5000;

    private Masters() {
    }

    /**
     * Refuses a master URL Spark does not know, and a standalone master ({@code spark://}) none of whose
     * addresses accepts a connection.
     *
     * @param master the URL
     * @throws EmkitException if it is refused
     */
    static void check(String master) {
        if (!KNOWN.matcher(master).matches()) {
            throw new EmkitException("--master " + master + ": not a Spark master URL (local[N], local[*],"
                    + " spark://HOST:PORT, yarn, k8s://HOST:PORT, mesos://HOST:PORT)");
        }
        if (!master.startsWith("spark://")) {
            return;
        }
        String why = "";
        for (String address : master.substring("spark://".length()).split(",")) {
            int colon = address.lastIndexOf(':');
            int port;
            try {
                port = colon < 0 ? 7077 : Integer.parseInt(address.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new EmkitException("--master " + master + ": '" + address + "' is not HOST:PORT");
            }
            String host = colon < 0 ? address : address.substring(0, colon);
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
                return;
            } catch (IOException | IllegalArgumentException e) {
                why = host + ":" + port + " (" + e.getMessage() + ")";
            }
        }
        throw new EmkitException("--master " + master + ": no Spark master answers at " + why);
    }
}
