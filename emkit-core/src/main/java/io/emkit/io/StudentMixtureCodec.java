package io.emkit.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.mixture.ClusteringModel;
import io.emkit.student.DegreesOfFreedom;
import io.emkit.student.StudentMixtureModel;

import java.util.function.Function;

/**
 * Student-t mixtures: the Gaussian mixture's keys ({@code "covariance_type"}, {@code "n_components"}, the
 * features, {@code "weights"}, {@code "means"}, and the scale matrices under {@code "covariances"}), then
 * {@code "distribution": "t"}, {@code "degrees_of_freedom"} (K numbers) and {@code "df_constraint"}
 * ({@code free}, {@code equal} or {@code fixed}; {@code free} when absent).
 */
final class StudentMixtureCodec extends ModelCodec<StudentMixtureModel> {
    static final String KIND = "t_mixture";
    private static final String DISTRIBUTION = "t";
    private final GaussianMixtureCodec gaussian = new GaussianMixtureCodec();

    StudentMixtureCodec() {
        super(KIND, "t mixture", StudentMixtureModel.class);
    }

    @Override
    void write(StudentMixtureModel model, ObjectNode root) {
        gaussian.write(model.scales(), root);
        writeDegrees(model.degreesOfFreedom(), model.constraint(), root);
    }

    /** Writes a t model's keys after its scale model's: the distribution, {@code ν} and their constraint. */
    static void writeDegrees(double[] nu, DegreesOfFreedom.Constraint constraint, ObjectNode root) {
        root.put("distribution", DISTRIBUTION);
        root.set("degrees_of_freedom", ModelJson.numbers(nu));
        root.put("df_constraint", constraint.label());
    }

    @Override
    StudentMixtureModel read(ModelJson root) {
        return readWithDegrees(root, KIND, gaussian::read, StudentMixtureModel::new);
    }

    /**
     * Reads a t model of a file of {@code kind}: checks its distribution, reads its scale model, then {@code ν} (one
     * per component) and their constraint ({@code free} when absent).
     */
    static <P, H extends ClusteringModel> P readWithDegrees(ModelJson root, String kind, Function<ModelJson, H> scales,
                                                            DegreesOfFreedom.Maker<P, H> make) {
        String distribution = root.text("distribution");
        if (!distribution.equals(DISTRIBUTION)) {
            throw root.fail("unknown distribution '" + distribution + "' for a " + kind + " (expected '" + DISTRIBUTION
                    + "')");
        }
        H read = scales.apply(root);
        double[] dof = root.vector("degrees_of_freedom", read.components());
        DegreesOfFreedom.Constraint constraint = root.has("df_constraint")
                ? root.parsed("df_constraint", DegreesOfFreedom.Constraint::parse) : DegreesOfFreedom.Constraint.FREE;
        return make.of(read, dof, constraint);
    }
}
