package dev.latentvi.dist;

import static dev.latentvi.dist.NormalTest.assertClose;
import static dev.latentvi.dist.NormalTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latentvi.math.Estimates;
import dev.latentvi.math.LogMath;
import dev.latentvi.math.Rng;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class MultivariateNormalTest {
    /** A correlated 3×3 covariance. */
    static final double[][] SIGMA = {{2.0, 0.6, -0.3}, {0.6, 1.0, 0.2}, {-0.3, 0.2, 0.5}};

    static MultivariateNormal p() {
        INDArray mean = Nd4j.createFromArray(new double[][] {{0.5, -1.0, 0.2}, {1.5, 0.0, -0.7}});
        return MultivariateNormal.of(mean, Nd4j.createFromArray(SIGMA));
    }

    /** A random symmetric positive-definite d×d matrix A Aᵀ + 0.3 I. */
    static INDArray randomCovariance(int d, Rng rng) {
        INDArray a = rng.normal(d, d);
        return a.mmul(a.transpose()).addi(Nd4j.eye(d).castTo(DataType.DOUBLE).muli(0.3));
    }

    // ---- independent plain-double linear algebra (Gauss–Jordan) for brute-force checks ----

    static double[][] inverse(double[][] a) {
        int d = a.length;
        double[][] m = new double[d][2 * d];
        for (int i = 0; i < d; i++) {
            System.arraycopy(a[i], 0, m[i], 0, d);
            m[i][d + i] = 1;
        }
        for (int c = 0; c < d; c++) {
            double pivot = m[c][c];
            for (int j = 0; j < 2 * d; j++) {
                m[c][j] /= pivot;
            }
            for (int r = 0; r < d; r++) {
                if (r != c) {
                    double f = m[r][c];
                    for (int j = 0; j < 2 * d; j++) {
                        m[r][j] -= f * m[c][j];
                    }
                }
            }
        }
        double[][] inv = new double[d][d];
        for (int i = 0; i < d; i++) {
            System.arraycopy(m[i], d, inv[i], 0, d);
        }
        return inv;
    }

    static double logDet(double[][] a) {
        int d = a.length;
        double[][] m = new double[d][];
        for (int i = 0; i < d; i++) {
            m[i] = a[i].clone();
        }
        double s = 0;
        for (int c = 0; c < d; c++) {
            s += Math.log(m[c][c]);
            for (int r = c + 1; r < d; r++) {
                double f = m[r][c] / m[c][c];
                for (int j = c; j < d; j++) {
                    m[r][j] -= f * m[c][j];
                }
            }
        }
        return s;
    }

    static double logDensity(double[] x, double[] mu, double[][] sigma) {
        double[][] prec = inverse(sigma);
        double q = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x.length; j++) {
                q += (x[i] - mu[i]) * prec[i][j] * (x[j] - mu[j]);
            }
        }
        return -0.5 * (q + logDet(sigma) + x.length * LogMath.LOG_2PI);
    }

    /** KL(N(m0, S0) ‖ N(m1, S1)) from the textbook formula, in plain doubles. */
    static double kl(double[] m0, double[][] s0, double[] m1, double[][] s1) {
        int d = m0.length;
        double[][] p1 = inverse(s1);
        double tr = 0;
        double quad = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                tr += p1[i][j] * s0[j][i];
                quad += (m1[i] - m0[i]) * p1[i][j] * (m1[j] - m0[j]);
            }
        }
        return 0.5 * (tr + quad - d + logDet(s1) - logDet(s0));
    }

    static double[][] diag(INDArray sigmaRow) {
        double[] s = sigmaRow.toDoubleVector();
        double[][] m = new double[s.length][s.length];
        for (int i = 0; i < s.length; i++) {
            m[i][i] = s[i] * s[i];
        }
        return m;
    }

    @Test
    void logProbMatchesTheTextbookDensityForEveryShape() {
        MultivariateNormal p = p();
        INDArray x = Rng.seeded(1).normal(4, 2, 3);                         // [m, n, d]
        INDArray lp = p.logProb(x);
        assertArrayEquals(new long[] {4, 2}, lp.shape());
        for (int s = 0; s < 4; s++) {
            for (int i = 0; i < 2; i++) {
                double[] xi = x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(s), org.nd4j.linalg.indexing.NDArrayIndex.point(i),
                        org.nd4j.linalg.indexing.NDArrayIndex.all()).toDoubleVector();
                assertEquals(logDensity(xi, p.mean().getRow(i).toDoubleVector(), SIGMA), lp.getDouble(s, i), 1e-12);
            }
            // [n, d] → [n] is the m = 1 slice
            INDArray slice = x.slice(s);
            assertClose(lp.getRow(s), p.logProb(slice), 1e-12);
        }
        // a one-row distribution broadcasts over any number of rows
        MultivariateNormal one = MultivariateNormal.of(Nd4j.createFromArray(0.5, -1.0, 0.2), Nd4j.createFromArray(SIGMA));
        INDArray rows = Rng.seeded(2).normal(5, 3);
        INDArray lp1 = one.logProb(rows);
        assertArrayEquals(new long[] {5}, lp1.shape());
        assertEquals(logDensity(rows.getRow(3).toDoubleVector(), new double[] {0.5, -1.0, 0.2}, SIGMA), lp1.getDouble(3), 1e-12);
        assertArrayEquals(new long[] {2, 5}, one.logProb(Rng.seeded(3).normal(2, 5, 3)).shape());
    }

    @Test
    void diagonalCovarianceAgreesWithNormal() {
        Rng rng = Rng.seeded(4);
        INDArray mu = rng.normal(3, 5);
        INDArray sigma = rng.uniform(1, 5).addi(0.2);
        Normal normal = Normal.of(mu, Nd4j.tile(sigma, 3, 1));
        MultivariateNormal full = MultivariateNormal.of(mu, Nd4j.diag(sigma.reshape(5).mul(sigma.reshape(5))));
        INDArray x = rng.normal(7, 3, 5);
        assertClose(normal.logProb(x), full.logProb(x), 1e-12);
        assertClose(normal.entropy(), full.entropy(), 1e-12);
        assertClose(normal.stddev(), full.stddev(), 1e-12);
        assertClose(normal.mean(), full.meanField().mean(), 0);
        assertClose(normal.stddev(), full.meanField().stddev(), 1e-12);
        assertClose(normal.rsample(x), full.rsample(x), 1e-12);
        // the KL pairs reduce to Normal–Normal
        Normal q = Normal.of(rng.normal(3, 5), rng.uniform(3, 5).addi(0.3));
        MultivariateNormal qFull = MultivariateNormal.of(q.mean().getRow(0, true), Nd4j.diag(q.variance().getRow(0)));
        assertClose(Kl.divergence(q, normal), Kl.divergence(q, full), 1e-12);
        assertClose(Kl.divergence(normal, q.row(0)), Kl.divergence(full, q.row(0)), 1e-12);
        assertClose(Kl.divergence(normal, q.row(0)), Kl.divergence(full, qFull), 1e-12);
    }

    @Test
    void momentsOfSamplesAndCholeskyFactor() {
        MultivariateNormal p = p();
        assertTrue(p.hasRsample());
        int m = 40_000;
        INDArray z = p.sample(Rng.seeded(5), m);
        assertArrayEquals(new long[] {m, 2, 3}, z.shape());
        assertArrayEquals(new long[] {2, 3}, p.sample(Rng.seeded(5)).shape());
        for (int i = 0; i < 2; i++) {
            INDArray zi = z.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(i),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();                     // [m, d]
            INDArray mean = zi.mean(0);
            INDArray centered = zi.subRowVector(mean);
            INDArray cov = centered.transpose().mmul(centered).divi(m - 1);
            for (int a = 0; a < 3; a++) {
                assertEquals(p.mean().getDouble(i, a), mean.getDouble(a), 4 * Math.sqrt(SIGMA[a][a] / m));
                for (int b = 0; b < 3; b++) {
                    double se = Math.sqrt((SIGMA[a][a] * SIGMA[b][b] + SIGMA[a][b] * SIGMA[a][b]) / m);
                    assertEquals(SIGMA[a][b], cov.getDouble(a, b), 4 * se, "cov " + a + b);
                }
            }
        }
        // −E[log p(z)] = H: the entropy agrees with the samples' average log density
        Estimates negLog = Estimates.mean(p.logProb(z).negi());
        for (int i = 0; i < 2; i++) {
            assertEquals(p.entropy().getDouble(i), negLog.values().getDouble(i), 4 * negLog.standardErrors().getDouble(i));
        }
        // rsample(rng, m) is μ + L ε with its own ε, and L Lᵀ = Σ (unit noise vectors give the rows of Lᵀ)
        Normal.Reparameterized r = p.rsample(Rng.seeded(6), 3);
        assertClose(p.rsample(r.eps()), r.z(), 1e-12);
        MultivariateNormal centered = MultivariateNormal.of(Nd4j.zeros(DataType.DOUBLE, 3, 3), Nd4j.createFromArray(SIGMA));
        INDArray lt = centered.rsample(Nd4j.eye(3).castTo(DataType.DOUBLE));
        assertClose(Nd4j.createFromArray(SIGMA), lt.transpose().mmul(lt), 1e-12);
        assertEquals(logDet(SIGMA), p.logDetCovariance(), 1e-12);
        assertClose(Nd4j.createFromArray(inverse(SIGMA)), p.precision(), 1e-12);
    }

    @Test
    void tinyAndIllScaledCovariancesFactorize() {
        // ND4J's cholesky and matrix_inverse reject determinants below ~1e-6: the factor rescales first
        INDArray small = Nd4j.eye(5).castTo(DataType.DOUBLE).muli(0.01);
        MultivariateNormal p = MultivariateNormal.of(Nd4j.zeros(DataType.DOUBLE, 1, 5), small);
        assertEquals(5 * Math.log(0.01), p.logDetCovariance(), 1e-10);
        INDArray x = Rng.seeded(7).normal(4, 5).muli(0.1);
        assertClose(Normal.of(Nd4j.zeros(DataType.DOUBLE, 1, 5), Nd4j.valueArrayOf(new long[] {1, 5}, 0.1, DataType.DOUBLE)).logProb(x),
                p.logProb(x), 1e-12);
        double[][] skewed = {{1e4, 1.0}, {1.0, 1e-4 * 2}};
        MultivariateNormal q = MultivariateNormal.of(Nd4j.zeros(DataType.DOUBLE, 1, 2), Nd4j.createFromArray(skewed));
        assertEquals(logDet(skewed), q.logDetCovariance(), 1e-9);
        INDArray y = Nd4j.createFromArray(new double[][] {{50, 0.01}, {-20, -0.02}});
        assertEquals(logDensity(y.getRow(1).toDoubleVector(), new double[] {0, 0}, skewed), q.logProb(y).getDouble(1), 1e-9);
    }

    @Test
    void ofPrecisionIsOfTheInverse() {
        INDArray precision = randomCovariance(4, Rng.seeded(8));
        INDArray mean = Rng.seeded(9).normal(3, 4);
        MultivariateNormal viaPrecision = MultivariateNormal.ofPrecision(mean, precision);
        MultivariateNormal viaCovariance = MultivariateNormal.of(mean, Nd4j.createFromArray(inverse(precision.toDoubleMatrix())));
        assertClose(viaCovariance.covariance(), viaPrecision.covariance(), 1e-12);
        assertClose(precision, viaPrecision.precision(), 1e-12);
        assertEquals(-logDet(precision.toDoubleMatrix()), viaPrecision.logDetCovariance(), 1e-12);
    }

    @Test
    void klPairsMatchTheTextbookFormula() {
        Rng rng = Rng.seeded(10);
        for (int trial = 0; trial < 5; trial++) {
            INDArray cov = randomCovariance(3, rng);
            INDArray otherCov = randomCovariance(3, rng);
            MultivariateNormal p = MultivariateNormal.of(rng.normal(4, 3), cov);
            MultivariateNormal p2 = MultivariateNormal.of(rng.normal(4, 3), otherCov);
            Normal q = Normal.ofLogSigma(rng.normal(4, 3), rng.normal(4, 3).muli(0.5));
            INDArray normalFull = Kl.divergence(q, p);
            INDArray fullFull = Kl.divergence(p, p2);
            INDArray fullNormal = Kl.divergence(p, q);
            assertArrayEquals(new long[] {4}, normalFull.shape());
            for (int i = 0; i < 4; i++) {
                double[] mq = q.mean().getRow(i).toDoubleVector();
                double[][] sq = diag(q.stddev().getRow(i));
                double[] mp = p.mean().getRow(i).toDoubleVector();
                double[] mp2 = p2.mean().getRow(i).toDoubleVector();
                assertEquals(kl(mq, sq, mp, cov.toDoubleMatrix()), normalFull.getDouble(i), 1e-10);
                assertEquals(kl(mp, cov.toDoubleMatrix(), mp2, otherCov.toDoubleMatrix()), fullFull.getDouble(i), 1e-10);
                assertEquals(kl(mp, cov.toDoubleMatrix(), mq, sq), fullNormal.getDouble(i), 1e-10);
            }
            assertEquals(0.0, Kl.divergence(p, p).amaxNumber().doubleValue(), 1e-10);
            assertTrue(Kl.divergence(p.meanField(), p).minNumber().doubleValue() >= -1e-12);
        }
        // a one-row second argument broadcasts: KL to N(0, Σ) from each row
        MultivariateNormal p = p();
        MultivariateNormal origin = MultivariateNormal.of(Nd4j.zeros(DataType.DOUBLE, 1, 3), Nd4j.createFromArray(SIGMA));
        INDArray toOrigin = Kl.divergence(p, origin);
        assertArrayEquals(new long[] {2}, toOrigin.shape());
        assertEquals(kl(p.mean().getRow(1).toDoubleVector(), SIGMA, new double[3], SIGMA), toOrigin.getDouble(1), 1e-12);
        INDArray toStandard = Kl.divergence(p, Normal.standard(3));
        double[][] eye = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        assertEquals(kl(p.mean().getRow(0).toDoubleVector(), SIGMA, new double[3], eye), toStandard.getDouble(0), 1e-12);
    }

    @Test
    void klPairsAgreeWithMonteCarlo() {
        MultivariateNormal p = p();
        Normal q = Normal.of(Nd4j.createFromArray(new double[][] {{0.0, -0.5, 0.0}, {1.0, 0.5, -0.5}}),
                Nd4j.createFromArray(new double[][] {{1.0, 0.8, 0.6}, {1.5, 0.7, 0.4}}));
        MultivariateNormal p2 = MultivariateNormal.of(q.mean(), randomCovariance(3, Rng.seeded(11)));
        Rng rng = Rng.seeded(12);
        assertAgree(Kl.divergence(q, p), Kl.monteCarlo(q, p, rng, 40_000));
        assertAgree(Kl.divergence(p, q), Kl.monteCarlo(p, q, rng, 40_000));
        assertAgree(Kl.divergence(p, p2), Kl.monteCarlo(p, p2, rng, 40_000));
    }

    private static void assertAgree(INDArray exact, Estimates mc) {
        for (int i = 0; i < exact.length(); i++) {
            assertEquals(exact.getDouble(i), mc.values().getDouble(i), 4 * mc.standardErrors().getDouble(i), "row " + i);
        }
    }

    @Test
    void meanFieldMinimizesTheReverseKlAmongDiagonalGaussians() {
        MultivariateNormal p = p();
        Normal mf = p.meanField();
        double best = Kl.divergence(mf, p).getDouble(0);
        for (double f : new double[] {0.9, 1.1}) {
            for (int j = 0; j < 3; j++) {
                INDArray sigma = mf.stddev().dup();
                sigma.putScalar(0, j, sigma.getDouble(0, j) * f);
                assertTrue(Kl.divergence(Normal.of(mf.mean(), sigma), p).getDouble(0) > best);
                INDArray mu = mf.mean().dup();
                mu.putScalar(0, j, mu.getDouble(0, j) + f - 1);
                assertTrue(Kl.divergence(Normal.of(mu, mf.stddev()), p).getDouble(0) > best);
            }
        }
    }

    @Test
    void expectedLogProbGradientMatchesFiniteDifferences() {
        // E_q[log p(z)] = −KL(q ‖ p) − H(q), differentiated numerically in (μ, log σ) of q
        MultivariateNormal p = p();
        double[] mu = {0.3, -0.2, 0.4};
        double[] logSigma = {Math.log(0.8), Math.log(0.5), Math.log(1.2)};
        double[] g = p.expectedLogProbGradient(1, Normal.ofLogSigma(Nd4j.createFromArray(mu), Nd4j.createFromArray(logSigma)));
        assertEquals(6, g.length);
        double h = 1e-5;
        for (int k = 0; k < 6; k++) {
            double[][] plus = {mu.clone(), logSigma.clone()};
            double[][] minus = {mu.clone(), logSigma.clone()};
            plus[k / 3][k % 3] += h;
            minus[k / 3][k % 3] -= h;
            double numeric = (expectedLogProb(p, plus) - expectedLogProb(p, minus)) / (2 * h);
            assertEquals(numeric, g[k], 1e-6, "component " + k);
        }
    }

    private static double expectedLogProb(MultivariateNormal p, double[][] params) {
        Normal q = Normal.ofLogSigma(Nd4j.createFromArray(params[0]), Nd4j.createFromArray(params[1]));
        MultivariateNormal row = MultivariateNormal.of(p.mean().getRow(1, true), p.covariance());
        return -Kl.divergence(q, row).getDouble(0) - q.entropy().getDouble(0);
    }

    @Test
    void badInputNamesTheArgument() {
        INDArray mean = Nd4j.zeros(DataType.DOUBLE, 2, 2);
        assertMessage("covariance:", () -> MultivariateNormal.of(mean, Nd4j.createFromArray(new double[][] {{1, 2}, {2, 1}})));
        assertMessage("covariance:", () -> MultivariateNormal.of(mean, Nd4j.createFromArray(new double[][] {{1, 0.5}, {0, 1}})));
        assertMessage("covariance:", () -> MultivariateNormal.of(mean, Nd4j.eye(3).castTo(DataType.DOUBLE)));
        assertMessage("covariance:", () -> MultivariateNormal.of(mean, Nd4j.createFromArray(new double[][] {{0, 0}, {0, 1}})));
        assertMessage("precision:", () -> MultivariateNormal.ofPrecision(mean, Nd4j.createFromArray(new double[][] {{-1, 0}, {0, 1}})));
        assertMessage("mean:", () -> MultivariateNormal.of(Nd4j.createFromArray(new double[][] {{Double.NaN, 0}}), Nd4j.eye(2)));
        MultivariateNormal p = p();
        assertMessage("x:", () -> p.logProb(Nd4j.zeros(DataType.DOUBLE, 3, 3)));
        assertMessage("x:", () -> p.logProb(Nd4j.zeros(DataType.DOUBLE, 2, 2)));
        assertMessage("eps:", () -> p.rsample(Nd4j.zeros(DataType.DOUBLE, 1, 3)));
        assertMessage("q:", () -> p.expectedLogProbGradient(0, Normal.standard(2)));
        assertMessage("i:", () -> p.expectedLogProbGradient(2, Normal.standard(3)));
        assertMessage("q:", () -> Kl.divergence(Normal.standard(2), p));
    }
}
