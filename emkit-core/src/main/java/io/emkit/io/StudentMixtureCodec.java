package io.emkit.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emkit.gaussian.GaussianMixtureModel;
import io.emkit.student.DegreesOfFreedom;
import io.emkit.student.StudentMixtureModel;

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
        root.put("distribution", DISTRIBUTION);
        root.set("degrees_of_freedom", ModelJson.numbers(model.degreesOfFreedom()));
        root.put("df_constraint", model.constraint().label());
    }

    @Override
    StudentMixtureModel read(ModelJson root) {
        String distribution = root.text("distribution");
        if (!distribution.equals(DISTRIBUTION)) {
            throw root.fail("unknown distribution '" + distribution + "' for a " + KIND + " (expected '" + DISTRIBUTION
                    + "')");
        }
        GaussianMixtureModel scales = gaussian.read(root);
        double[] dof = root.vector("degrees_of_freedom", scales.components());
        DegreesOfFreedom.Constraint constraint = root.has("df_constraint")
                ? root.parsed("df_constraint", DegreesOfFreedom.Constraint::parse) : DegreesOfFreedom.Constraint.FREE;
        return new StudentMixtureModel(scales, dof, constraint);
    }
}
