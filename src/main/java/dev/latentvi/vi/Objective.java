package dev.latentvi.vi;

import dev.latentvi.dist.Normal;
import dev.latentvi.math.Check;
import java.util.function.BiFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A black-box objective r(z) of a continuous latent, evaluated row by row: the "reward" whose
 * expectation E_q[r(z)] the gradient estimators differentiate. The score-function estimator only
 * needs {@link #value}; the reparameterized one also needs {@link #gradient}.
 */
public interface Objective {
    /** Latent dimension d. */
    int dim();

    /** r(z) for each row: z {@code [m, d]} → {@code [m]}. */
    INDArray value(INDArray z);

    /** ∇_z r(z) for each row: z {@code [m, d]} → {@code [m, d]}; unsupported for black boxes. */
    default INDArray gradient(INDArray z) {
        throw new UnsupportedOperationException("this objective has no gradient: use the score-function estimator");
    }

    /** Whether {@link #gradient} is available (the reparameterization trick needs it). */
    default boolean differentiable() {
        return false;
    }

    /**
     * The quadratic r(z) = −½ Σ_j c_j (z_j − a_j)², with center a {@code [d]} and curvature c {@code [d]}
     * (c_j > 0): the simplest case with a closed-form Gaussian expectation (see {@link #quadraticExpectationGradient}).
     */
    static Objective quadratic(double[] center, double[] curvature) {
        Check.notNull("center", center);
        Check.notNull("curvature", curvature);
        if (center.length == 0 || center.length != curvature.length) {
            throw new IllegalArgumentException("curvature: expected " + center.length + " entries (one per center entry, at least one), got "
                    + curvature.length);
        }
        for (int j = 0; j < center.length; j++) {
            Check.finite("center[" + j + "]", center[j]);
            Check.positive("curvature[" + j + "]", curvature[j]);
        }
        INDArray a = Nd4j.createFromArray(center.clone()).reshape(1, center.length);
        INDArray c = Nd4j.createFromArray(curvature.clone()).reshape(1, center.length);
        int d = center.length;
        return new Objective() {
            public int dim() {
                return d;
            }

            public INDArray value(INDArray z) {
                INDArray diff = checkRows(z, d).subRowVector(a);
                return diff.muli(diff).muliRowVector(c).sum(1).muli(-0.5);
            }

            public INDArray gradient(INDArray z) {
                return checkRows(z, d).subRowVector(a).muliRowVector(c).negi();
            }

            public boolean differentiable() {
                return true;
            }
        };
    }

    /**
     * Exact ∇ of E_{z~q}[−½ Σ c_j (z_j − a_j)²] with respect to (μ, log σ) of a one-row Normal q over d
     * dimensions, with center a and curvature c {@code [d]}: {@code [2d]} = (−c(μ − a), −c σ²).
     */
    static double[] quadraticExpectationGradient(Normal q, double[] center, double[] curvature) {
        Check.notNull("q", q);
        Check.notNull("center", center);
        Check.notNull("curvature", curvature);
        if (q.batchSize() != 1) {
            throw new IllegalArgumentException("q: expected a single distribution (batch size 1), got " + q.batchSize());
        }
        int d = center.length;
        if (q.dim() != d || curvature.length != d) {
            throw new IllegalArgumentException("q: expected dimension " + d + " like center and curvature (" + curvature.length
                    + " entries), got " + q.dim());
        }
        double[] mu = q.mean().toDoubleVector();
        double[] sigma = q.stddev().toDoubleVector();
        double[] g = new double[2 * d];
        for (int j = 0; j < d; j++) {
            g[j] = -curvature[j] * (mu[j] - center[j]);
            g[d + j] = -curvature[j] * sigma[j] * sigma[j];
        }
        return g;
    }

    /**
     * r(z) = log p(x, z) for one data point x {@code [1, D]} (or {@code [D]}) of a model: the ELBO's
     * integrand, differentiable through the model's SameDiff graph.
     */
    static Objective logJoint(LatentModel model, INDArray x) {
        Check.notNull("model", model);
        Check.notNull("x", x);
        INDArray row = x.castTo(DataType.DOUBLE).reshape(1, x.length());
        Check.matrix("x", row, model.dataDim());
        Check.finite("x", row);
        return new Objective() {
            public int dim() {
                return model.latentDim();
            }

            public INDArray value(INDArray z) {
                INDArray zz = checkRows(z, dim());
                return model.logJoint(Nd4j.tile(row, (int) zz.size(0), 1), zz);
            }

            private final GraphGradient graph = new GraphGradient(model.latentDim(),
                    (sd, z) -> model.logJoint(sd, sd.constant(row), z));

            public INDArray gradient(INDArray z) {
                return graph.gradient(checkRows(z, dim()));
            }

            public boolean differentiable() {
                return true;
            }
        };
    }

    /**
     * An objective given as a SameDiff graph r(sd, z) with z {@code [m, d]} → {@code [m]}; the gradient
     * comes from autodiff. Rows must not interact (r_j depends on z_j only).
     */
    static Objective ofGraph(int dim, BiFunction<SameDiff, SDVariable, SDVariable> graph) {
        Check.positive("dim", dim);
        Check.notNull("graph", graph);
        GraphGradient g = new GraphGradient(dim, graph);
        return new Objective() {
            public int dim() {
                return dim;
            }

            public INDArray value(INDArray z) {
                return g.value(checkRows(z, dim));
            }

            public INDArray gradient(INDArray z) {
                return g.gradient(checkRows(z, dim));
            }

            public boolean differentiable() {
                return true;
            }
        };
    }

    private static INDArray checkRows(INDArray z, int d) {
        Check.matrix("z", z, d);
        Check.finite("z", z);
        return z.castTo(DataType.DOUBLE);
    }
}
