package io.emkit.labels;

import io.emkit.EmkitException;

import java.util.List;

/**
 * Class priors written as text, as the command line takes them: {@code name=value,...} naming every class, or
 * {@code value,...} in the classes' order. The values are positive and are divided by their sum, so
 * {@code 1,1,2} means {@code 0.25,0.25,0.5}.
 */
public final class ClassPriors {
    private ClassPriors() {
    }

    /**
     * @param spec       {@code setosa=0.2,versicolor=0.3,virginica=0.5} or {@code 0.2,0.3,0.5}
     * @param classNames the classes, in their order
     * @return per class its prior, in {@code classNames} order, summing to 1
     * @throws EmkitException naming the class or the value that is wrong: an unknown, missing or repeated class,
     *                        a count that differs from the classes', a value that is not a number &gt; 0
     */
    public static double[] parse(String spec, List<String> classNames) {
        String[] parts = spec.split(",", -1);
        double[] out = new double[classNames.size()];
        boolean named = spec.contains("=");
        if (!named && parts.length != classNames.size()) {
            throw new EmkitException("--class-priors: " + parts.length + " value" + (parts.length == 1 ? "" : "s")
                    + " for " + classNames.size() + " classes " + classNames + "; give one per class in this order,"
                    + " or name them (" + classNames.get(0) + "=...)");
        }
        boolean[] seen = new boolean[classNames.size()];
        for (int t = 0; t < parts.length; t++) {
            String part = parts[t].trim();
            int g = t;
            String value = part;
            if (named) {
                int eq = part.lastIndexOf('=');
                if (eq < 0) {
                    throw new EmkitException("--class-priors: '" + part + "' is not name=value; name every class or"
                            + " none");
                }
                String name = part.substring(0, eq).trim();
                g = classNames.indexOf(name);
                if (g < 0) {
                    throw new EmkitException("--class-priors: no class '" + name + "'; the classes are " + classNames);
                }
                if (seen[g]) {
                    throw new EmkitException("--class-priors: class '" + name + "' is given twice");
                }
                value = part.substring(eq + 1).trim();
            }
            seen[g] = true;
            double v;
            try {
                v = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                v = Double.NaN;
            }
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new EmkitException("--class-priors: the prior of class '" + classNames.get(g) + "' must be a"
                        + " number > 0, got '" + value + "'");
            }
            out[g] = v;
        }
        for (int g = 0; g < seen.length; g++) {
            if (!seen[g]) {
                throw new EmkitException("--class-priors: class '" + classNames.get(g) + "' has no prior; name every"
                        + " class " + classNames);
            }
        }
        double sum = 0;
        for (double v : out) {
            sum += v;
        }
        for (int g = 0; g < out.length; g++) {
            out[g] /= sum;
        }
        return out;
    }
}
