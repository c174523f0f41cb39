/**
 * Exercise checks for the homework notebooks: each assignment ({@code MixtureHomework},
 * {@code ElboHomework}, {@code GradientHomework}, {@code VaeHomework}) runs a student's function
 * against the library's reference on seeded and edge cases and returns {@code Feedback} scored the
 * way nbgrader reads it.
 *
 * <p>The top layer: may depend on every other package; none depends on it.
 */
package dev.latentvi.homework;
