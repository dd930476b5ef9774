package io.emkit.noise;

import io.emkit.student.StudentMixtureModel;
import io.emkit.student.StudentMixtureSteps;
import io.emkit.student.StudentStatistics;

/**
 * EM's two steps for a t mixture with a uniform noise component ({@link NoiseStudentMixtureModel}): the t mixture's
 * own E- and M-step ({@link StudentMixtureSteps}: responsibilities, expected scales, scaled moments; the degrees of
 * freedom's ECM step) on the rows weighted by their probability of not being noise ({@link StepsBesideNoise}).
 */
public final class NoiseStudentSteps
        extends StepsBesideNoise<StudentMixtureModel, StudentStatistics, NoiseStudentMixtureModel> {
    /**
     * @param student the t components' steps
     */
    public NoiseStudentSteps(StudentMixtureSteps student) {
        super(student, NoiseStudentMixtureModel::new, "t component");
    }
}
