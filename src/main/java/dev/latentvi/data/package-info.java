/**
 * Data sets of the course: the MNIST digits fetched by {@code environment/setup} ({@code Mnist})
 * and one generator per toy story ({@code ObstacleDemos}: expert demonstrations of steering
 * around an obstacle, used by notebooks 01 and 04). Nothing here downloads at run time.
 *
 * <p>May depend on: {@code math}. Stands beside the model packages, which do not depend on it.
 */
package dev.latentvi.data;
