package io.streamprop.nn;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.mult.MatrixMatrixMult_DDRM;

/**
 * Matrix products by EJML's double-precision dense row-major kernels, picking among them by
 * shape where EJML's own choice is slow for a network's matrices (measured with
 * {@code streamprop bench core}):
 * <ul>
 *   <li>{@code a b^T} over a batch goes through an explicit transpose of {@code b} and the
 *       row-major kernel, which streams rows, instead of the inner-product kernel; the
 *       transpose costs one pass over {@code b} and pays off from a few rows on;</li>
 *   <li>{@code a^T b} with a narrow {@code b} (an output layer of a few units) uses the
 *       inner-product kernel rather than the row-major one.</li>
 * </ul>
 */
public final class EjmlProducts implements MatrixProducts {
    public static final EjmlProducts INSTANCE = new EjmlProducts();
    /** Rows of {@code a} from which {@code a b^T} transposes {@code b} first. */
    static final int TRANSPOSE_FROM_ROWS = 8;
    /** Widest {@code b} for which {@code a^T b} takes the inner-product kernel. */
    static final int NARROW_COLUMNS = 4;
    /** Per thread, room for a transposed {@code b}; it grows to the largest one seen. */
    private static final ThreadLocal<DMatrixRMaj> TRANSPOSED = ThreadLocal.withInitial(() -> new DMatrixRMaj(1, 1));

    private EjmlProducts() {
    }

    @Override
    public void mult(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
        CommonOps_DDRM.mult(a, b, c);
    }

    @Override
    public void multTransA(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
        if (b.numCols <= NARROW_COLUMNS && a.numCols > 1 && b.numCols > 1) {
            c.reshape(a.numCols, b.numCols);
            MatrixMatrixMult_DDRM.multTransA_small(a, b, c);
        } else {
            CommonOps_DDRM.multTransA(a, b, c);
        }
    }

    @Override
    public void multTransB(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
        if (a.numRows < TRANSPOSE_FROM_ROWS || b.numRows == 1 || b.numCols == 1) {
            CommonOps_DDRM.multTransB(a, b, c);
            return;
        }
        DMatrixRMaj transposed = TRANSPOSED.get();
        transposed.reshape(b.numCols, b.numRows, false);
        CommonOps_DDRM.transpose(b, transposed);
        CommonOps_DDRM.mult(a, transposed, c);
    }

    @Override
    public String name() {
        return "ejml-ddrm";
    }
}
