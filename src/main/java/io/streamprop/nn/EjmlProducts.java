package io.streamprop.nn;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/** Matrix products by EJML's double-precision dense row-major kernels. */
public final class EjmlProducts implements MatrixProducts {
    public static final EjmlProducts INSTANCE = new EjmlProducts();

    private EjmlProducts() {
    }

    @Override
    public void mult(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
        CommonOps_DDRM.mult(a, b, c);
    }

    @Override
    public void multTransA(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
        CommonOps_DDRM.multTransA(a, b, c);
    }

    @Override
    public void multTransB(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
        CommonOps_DDRM.multTransB(a, b, c);
    }

    @Override
    public String name() {
        return "ejml-ddrm";
    }
}
