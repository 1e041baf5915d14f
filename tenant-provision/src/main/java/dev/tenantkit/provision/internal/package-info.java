/**
 * Implementation of tenant-provision: one construct per concern of the stack, resource names,
 * cdk-nag suppressions, and the merge of stack outputs into the tenant record. Not API: may change
 * in any release.
 */
@NullMarked
package dev.tenantkit.provision.internal;

import org.jspecify.annotations.NullMarked;
