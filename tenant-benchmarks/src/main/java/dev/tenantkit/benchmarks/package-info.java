/**
 * JMH benchmarks. Each measures TenantKit beside the peer or baseline it is judged against, in
 * the same run; results and the command that reproduces them are in {@code docs/benchmarks.md}.
 */
@NullMarked
package dev.tenantkit.benchmarks;

import org.jspecify.annotations.NullMarked;
