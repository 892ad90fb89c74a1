/**
 * Istio's networking resources as immutable records, field for field as in {@code networking.istio.io}.
 * Field names follow the Istio API so that a reader can map any record back to the YAML. Optional scalar
 * fields are boxed and {@code null} when absent, because Istio distinguishes "absent" from "zero" in
 * several places (fault percentage, retries, outlier detection). Collections are never null.
 */
package dev.meshunit.config;
