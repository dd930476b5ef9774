package io.emkit.cli.fitting;

import io.emkit.cli.Format;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.select.Bootstrap;
import io.emkit.select.BootstrapResult;

import java.util.Locale;

/** {@code fit --bootstrap}: the table under the summary and the {@code bootstrap} object of the JSON. */
final class BootstrapOutput {
    private BootstrapOutput() {
    }

    static String table(BootstrapResult r) {
        StringBuilder s = new StringBuilder();
        String percent = Format.num(100 * r.level()) + "%";
        s.append("\nbootstrap    ").append(r.replicates()).append(" replicates")
                .append(r.failed() > 0 ? " (" + r.failed() + " failed, left out)" : "")
                .append(r.kind() == Bootstrap.Kind.WEIGHTED
                        ? "; weighted likelihood bootstrap (every row, flat-Dirichlet weights)"
                        : "; rows resampled with replacement")
                .append(", each refit warm-started from the fit\n\n");
        int width = "parameter".length();
        for (BootstrapResult.Parameter p : r.parameters()) {
            width = Math.max(width, p.name().length());
        }
        s.append(Format.pad("parameter", width + 2)).append(Format.pad("component", 11))
                .append(Format.padLeft("estimate", 14)).append(Format.padLeft("std. error", 14))
                .append(Format.padLeft(percent + " interval", 32)).append('\n');
        for (BootstrapResult.Parameter p : r.parameters()) {
            s.append(Format.pad(p.name(), width + 2)).append(Format.pad(Integer.toString(p.component() + 1), 11))
                    .append(Format.padLeft(Format.num(p.estimate()), 14))
                    .append(Format.padLeft(Format.num(p.standardError()), 14))
                    .append(Format.padLeft(String.format(Locale.ROOT, "[%s, %s]", Format.num(p.lower()),
                            Format.num(p.upper())), 32))
                    .append('\n');
        }
        return s.toString();
    }

    static void addTo(ObjectNode o, BootstrapResult r) {
        ObjectNode b = o.putObject("bootstrap");
        b.put("type", r.kind().label());
        b.put("replicates", r.replicates());
        b.put("failed", r.failed());
        b.put("level", r.level());
        ArrayNode ps = b.putArray("parameters");
        for (BootstrapResult.Parameter p : r.parameters()) {
            ObjectNode n = ps.addObject();
            n.put("parameter", p.name());
            n.put("component", p.component());
            n.put("estimate", p.estimate());
            n.put("std_error", p.standardError());
            n.put("lower", p.lower());
            n.put("upper", p.upper());
        }
    }
}
