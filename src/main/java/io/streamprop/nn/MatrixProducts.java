package io.streamprop.nn;

import org.ejml.data.DMatrixRMaj;

/**
 * The seam through which every matrix product of the network goes. Layers, losses and
 * optimizers only see row-major {@link DMatrixRMaj} values, so a faster implementation (single
 * precision, or a native BLAS) can replace {@link EjmlProducts} without touching them.
 * Implementations write the result into {@code c}, which has room for it and is neither
 * {@code a} nor {@code b}; {@code c} is reshaped to the result's shape.
 */
public interface MatrixProducts {
    /** c = a b. */
    void mult(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c);

    /** c = a^T b. */
    void multTransA(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c);

    /** c = a b^T. */
    void multTransB(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c);

    /** A short name for logs and benchmarks. */
    String name();
}
