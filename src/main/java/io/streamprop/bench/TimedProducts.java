package io.streamprop.bench;

import io.streamprop.nn.MatrixProducts;
import org.ejml.data.DMatrixRMaj;

/** Wraps another {@link MatrixProducts} and adds up the time spent in it and the FLOPs it did. */
final class TimedProducts implements MatrixProducts {
    private final MatrixProducts inner;
    private long nanos;
    private long flops;

    TimedProducts(MatrixProducts inner) {
        this.inner = inner;
    }

    @Override
    public void mult(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
        long start = System.nanoTime();
        inner.mult(a, b, c);
        nanos += System.nanoTime() - start;
        flops += 2L * a.numRows * a.numCols * b.numCols;
    }

    @Override
    public void multTransA(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
        long start = System.nanoTime();
        inner.multTransA(a, b, c);
        nanos += System.nanoTime() - start;
        flops += 2L * a.numRows * a.numCols * b.numCols;
    }

    @Override
    public void multTransB(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
        long start = System.nanoTime();
        inner.multTransB(a, b, c);
        nanos += System.nanoTime() - start;
        flops += 2L * a.numRows * a.numCols * b.numRows;
    }

    @Override
    public String name() {
        return "timed " + inner.name();
    }

    void reset() {
        nanos = 0;
        flops = 0;
    }

    long nanos() {
        return nanos;
    }

    long flops() {
        return flops;
    }
}
