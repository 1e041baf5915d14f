/**
 * A tenant's isolated AWS stack as CDK code, and its lifecycle.
 *
 * <ul>
 *   <li>{@link dev.tenantkit.provision.TenantStackSpec}: what one tenant's stack is made of, validated
 *       as a whole (tier presets in {@link dev.tenantkit.provision.TierPresets});</li>
 *   <li>{@link dev.tenantkit.provision.TenantStack} and {@link dev.tenantkit.provision.TenantTemplates}:
 *       the stack as CDK constructs, synthesised offline with cdk-nag's AwsSolutions checks;</li>
 *   <li>{@link dev.tenantkit.provision.StackDeployer}: CloudFormation change sets, streamed events,
 *       status, diff, deletion;</li>
 *   <li>{@link dev.tenantkit.provision.Preflight}: the Region's quotas, for what a deployment adds;</li>
 *   <li>{@link dev.tenantkit.provision.TenantOnboarding}: the lifecycle in the tenant's catalog record
 *       (provisioning, updates that keep the tenant served, suspension, offboarding).</li>
 * </ul>
 */
@NullMarked
package dev.tenantkit.provision;

import org.jspecify.annotations.NullMarked;
