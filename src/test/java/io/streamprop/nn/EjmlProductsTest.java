package io.streamprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** The shape-dependent kernels of {@link EjmlProducts} against plain triple loops. */
class EjmlProductsTest {
    private static final int[][] SHAPES = {
        {1, 5, 7}, {7, 5, 9}, {8, 64, 2}, {32, 20, 64}, {32, 64, 64}, {32, 64, 2}, {64, 30, 10}, {9, 3, 1}, {8, 1, 4},
    };

    private static DMatrixRMaj random(int rows, int cols, SplittableRandom random) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = random.nextDouble(-1, 1);
        }
        return m;
    }

    private static void assertClose(double[][] expected, DMatrixRMaj actual, String what) {
        assertEquals(expected.length, actual.numRows, what + " rows");
        assertEquals(expected[0].length, actual.numCols, what + " columns");
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[0].length; j++) {
                assertEquals(expected[i][j], actual.get(i, j), 1e-12, what + " at " + i + "," + j);
            }
        }
    }

    @Test
    void shouldMultiplyLikeTheDefinitionForEveryShapeItDistinguishes() {
        SplittableRandom random = new SplittableRandom(5);
        MatrixProducts products = EjmlProducts.INSTANCE;
        for (int[] s : SHAPES) {
            int n = s[0];
            int k = s[1];
            int m = s[2];
            String shape = n + "x" + k + "x" + m;
            // c = a b^T with a n x k and b m x k
            DMatrixRMaj a = random(n, k, random);
            DMatrixRMaj b = random(m, k, random);
            DMatrixRMaj c = new DMatrixRMaj(1, 1);
            products.multTransB(a, b, c);
            double[][] expected = new double[n][m];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    for (int t = 0; t < k; t++) {
                        expected[i][j] += a.get(i, t) * b.get(j, t);
                    }
                }
            }
            assertClose(expected, c, "a b^T " + shape);

            // c = x^T d with x n x k and d n x m
            DMatrixRMaj x = random(n, k, random);
            DMatrixRMaj d = random(n, m, random);
            products.multTransA(x, d, c);
            double[][] grad = new double[k][m];
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < m; j++) {
                    for (int t = 0; t < n; t++) {
                        grad[i][j] += x.get(t, i) * d.get(t, j);
                    }
                }
            }
            assertClose(grad, c, "a^T b " + shape);
        }
    }
}
