/**
 * Workarounds for ND4J/SameDiff 1.0.0-M2.1, each applied at one choke point: {@code GraphOps}
 * (graph reductions that survive size-1 axes, gradient-graph building without M2.1's console
 * chatter) and {@code SmallOps} (the thread policy for loops of many small native ops: one
 * OpenMP, libnd4j and BLAS thread, restored afterwards); and the fast path's element-wise loops over
 * native memory: {@code NativeBuffers} (an array's buffer as a Java buffer) and {@code Lanes} (Adam and
 * the Bernoulli loss on the JDK's Vector API, scalar Java without it).
 *
 * <p>Depends on no other latentvi package (ND4J only); every other package may use it.
 */
package dev.latentvi.internal;
