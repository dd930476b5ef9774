package io.emkit.labels;

import io.emkit.mixture.ComponentRestriction;

/** Rows of a known class may come only from the components of their class; unlabelled rows from any. */
final class ClassRestriction implements ComponentRestriction {
    private static final long serialVersionUID = 1L;

    private final int[] classOfRow;
    private final boolean[][] componentsOfClass;

    /**
     * @param labels        the rows' classes
     * @param classOfComponent per component its class
     */
    ClassRestriction(ClassLabels labels, int[] classOfComponent) {
        this(classesOf(labels), labels.classes(), classOfComponent);
    }

    /**
     * @param classOfRow       per row its class, or -1 (unlabelled)
     * @param classes          the number of classes
     * @param classOfComponent per component its class
     */
    ClassRestriction(int[] classOfRow, int classes, int[] classOfComponent) {
        this.classOfRow = classOfRow;
        componentsOfClass = new boolean[classes][classOfComponent.length];
        for (int c = 0; c < classOfComponent.length; c++) {
            componentsOfClass[classOfComponent[c]][c] = true;
        }
    }

    private static int[] classesOf(ClassLabels labels) {
        int[] out = new int[labels.rows()];
        for (int i = 0; i < out.length; i++) {
            out[i] = labels.classOf(i);
        }
        return out;
    }

    @Override
    public boolean[] allowed(int row) {
        int g = classOfRow[row];
        return g < 0 ? null : componentsOfClass[g];
    }
}
