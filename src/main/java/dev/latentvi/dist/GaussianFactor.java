package dev.latentvi.dist;

import dev.latentvi.math.Check;
import dev.latentvi.math.LogMath;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A covariance Σ {@code [d, d]} factored once, Σ = L Lᵀ (L lower triangular), with what every
 * full-covariance Gaussian needs: the precision Σ⁻¹, log |Σ|, the log density of residuals and the
 * coloring of standard-normal noise. Shared by {@link MultivariateNormal} and the components of
 * {@link GaussianMixture}.
 *
 * <p>ND4J 1.0.0-M2.1's cholesky (like its matrix_inverse) rejects any matrix whose determinant is
 * below about 1e-6, e.g. a 5×5 covariance of scale 0.01. So Σ is rescaled first: with D = diag(√Σ_jj),
 * the correlation matrix C = D⁻¹ Σ D⁻¹ has unit diagonal and a determinant far from zero unless Σ
 * is nearly singular; then L = D L_C and L⁻¹ = L_C⁻¹ D⁻¹ (a triangular solve, no inverse).
 */
final class GaussianFactor {
    private final INDArray covariance; // Σ [d, d]
    private final INDArray precision;  // Σ⁻¹ [d, d]
    private final INDArray lower;      // L [d, d]
    private final INDArray whitenT;    // (L⁻¹)ᵀ [d, d]
    private final double logDet;       // log |Σ|

    private GaussianFactor(INDArray covariance, INDArray lower, INDArray inverseLower, double logDet) {
        this.covariance = covariance;
        this.lower = lower;
        this.whitenT = inverseLower.transpose().dup('c');
        INDArray p = whitenT.mmul(inverseLower);                       // Σ⁻¹ = L⁻ᵀ L⁻¹
        this.precision = p.add(p.transpose()).muli(0.5).dup('c');
        this.logDet = logDet;
    }

    /**
     * Factors a symmetric positive-definite covariance {@code [d, d]} (symmetric within 1e-9 relative;
     * symmetrized exactly). Errors name the argument {@code name}.
     */
    static GaussianFactor of(String name, INDArray covariance) {
        Check.notNull(name, covariance);
        if (covariance.rank() != 2 || covariance.size(0) != covariance.size(1) || covariance.size(0) == 0) {
            throw new IllegalArgumentException(name + ": expected a square matrix [d, d], got shape " + Arrays.toString(covariance.shape()));
        }
        Check.finite(name, covariance);
        INDArray a = Normal.asDouble(covariance);
        double asym = a.sub(a.transpose()).amaxNumber().doubleValue();
        if (asym > 1e-9 * Math.max(1, a.amaxNumber().doubleValue())) {
            throw new IllegalArgumentException(name + ": expected a symmetric matrix, got asymmetry " + asym);
        }
        INDArray cov = a.add(a.transpose()).muli(0.5).dup('c');
        int d = (int) cov.size(0);
        INDArray variances = diagonal(cov);
        double minVariance = variances.minNumber().doubleValue();
        if (!(minVariance > 0)) {
            throw notPositiveDefinite(name, cov, "diagonal entry " + minVariance);
        }
        INDArray scale = Transforms.sqrt(variances, true);                          // D [d]
        INDArray outer = scale.reshape(d, 1).mmul(scale.reshape(1, d));
        INDArray correlation = cov.div(outer).dup('c');                           // exactly symmetric, unit diagonal
        INDArray lowerC;
        try {
            lowerC = Nd4j.linalg().cholesky(correlation);
        } catch (RuntimeException e) {
            throw notPositiveDefinite(name, cov, "no Cholesky factor");
        }
        INDArray diagC = diagonal(lowerC);
        if (!(diagC.minNumber().doubleValue() > 0) || !Double.isFinite(diagC.sumNumber().doubleValue())) {
            throw notPositiveDefinite(name, cov, "no Cholesky factor");
        }
        INDArray inverseC = Nd4j.linalg().triangularSolve(lowerC, Nd4j.eye(d).castTo(DataType.DOUBLE), true, false);
        INDArray lower = lowerC.mulColumnVector(scale.reshape(d, 1));                  // L = D L_C
        INDArray inverseLower = inverseC.mulRowVector(scale.rdiv(1.0).reshape(1, d));  // L⁻¹ = L_C⁻¹ D⁻¹
        double logDet = 2 * (Transforms.log(scale, true).sumNumber().doubleValue()
                + Transforms.log(diagC, true).sumNumber().doubleValue());
        return new GaussianFactor(cov, lower, inverseLower, logDet);
    }

    /** Dimension d. */
    int dim() {
        return (int) covariance.size(0);
    }

    /** Σ {@code [d, d]}. */
    INDArray covariance() {
        return covariance;
    }

    /** Σ⁻¹ {@code [d, d]}. */
    INDArray precision() {
        return precision;
    }

    /** log |Σ|. */
    double logDet() {
        return logDet;
    }

    /** The squared Mahalanobis norms (x − μ)ᵀ Σ⁻¹ (x − μ) of residuals {@code [k, d] → [k]}. */
    INDArray mahalanobis(INDArray residual) {
        INDArray y = residual.mmul(whitenT);                  // whitened residuals L⁻¹(x − μ)
        INDArray squared = y.muli(y).sum(1);
        y.close();
        return squared;
    }

    /** log N(x; μ, Σ) from residuals x − μ {@code [k, d] → [k]}. */
    INDArray logDensity(INDArray residual) {
        return mahalanobis(residual).muli(-0.5).subi(0.5 * logDet + dim() * LogMath.HALF_LOG_2PI);
    }

    /** L ε for standard-normal noise rows ε {@code [k, d] → [k, d]} (covariance Σ). */
    INDArray color(INDArray eps) {
        return eps.mmul(lower.transpose());
    }

    /** The diagonal of a square matrix {@code [d, d] → [d]}. */
    static INDArray diagonal(INDArray m) {
        return m.mul(Nd4j.eye(m.rows()).castTo(m.dataType())).sum(1);
    }

    private static IllegalArgumentException notPositiveDefinite(String name, INDArray cov, String why) {
        return new IllegalArgumentException(name + ": expected a symmetric positive-definite " + cov.rows() + "x" + cov.rows()
                + " matrix, got " + Arrays.deepToString(cov.toDoubleMatrix()) + " (" + why + ")");
    }
}
