import { isAccreditedFor, type AccreditedProvider, type ProviderState } from '../provider/provider.state';
import type { Actor } from '../shared/actor';
import { DomainError } from '../shared/domain-error';
import { isoDateOf, type IsoInstant } from '../shared/iso-date';
import type { ActiveStandard, StandardState } from '../standard/standard.state';
import { blockingProcess, type EarlierProcess } from './certification.state';

/** The standard must be registered and not retired. */
export function activeStandard(standard: StandardState, standardCode: string): ActiveStandard {
  if (standard.status === 'active' && standard.code === standardCode) return standard;
  const reason = standard.status === 'retired' && standard.code === standardCode ? 'retired' : 'not_registered';
  throw new DomainError('STANDARD_NOT_ACTIVE', `standard ${standardCode} is ${reason.replace('_', ' ')}`, { standardCode, reason });
}

/** An ECE or OC accredited for the standard on the enrollment's calendar date (a CE certifies nobody). */
export function certifyingProvider(
  provider: ProviderState,
  providerId: string,
  standardCode: string,
  enrolledAt: IsoInstant,
): AccreditedProvider {
  const known = provider.status === 'accredited' && provider.providerId === providerId;
  if (known && provider.kind === 'CE') {
    throw new DomainError('PROVIDER_CANNOT_CERTIFY', 'an evaluation centre cannot be the certifying provider', { providerId });
  }
  if (!known || !isAccreditedFor(provider, standardCode, isoDateOf(enrolledAt))) {
    throw new DomainError('PROVIDER_NOT_ACCREDITED', `provider is not accredited for ${standardCode} on the enrollment date`, {
      providerId,
      standardCode,
    });
  }
  return provider;
}

/**
 * The enrolling organization is the provider itself, or a CE that the provider
 * proposed (its parentProviderId). The CE's state is passed in explicitly;
 * nothing is looked up. Returns the CE, whose own accreditation is checked
 * once the provider's is known to be good.
 */
export function enrollingCentre(actor: Actor, providerId: string, centre: ProviderState | undefined): AccreditedProvider | undefined {
  if (actor.organizationId === providerId) return undefined;
  const isProvidersCentre =
    centre?.status === 'accredited' &&
    centre.providerId === actor.organizationId &&
    centre.kind === 'CE' &&
    centre.parentProviderId === providerId;
  if (!isProvidersCentre) {
    throw new DomainError('CENTRE_NOT_AUTHORISED', 'the organization is neither the provider nor one of its evaluation centres', {
      organizationId: actor.organizationId,
      providerId,
    });
  }
  return centre;
}

/** A CE enrolls only for standards it is itself accredited for on that date. */
export function ensureCentreAccredited(
  centre: AccreditedProvider | undefined,
  standardCode: string,
  enrolledAt: IsoInstant,
): void {
  if (centre === undefined) return;
  const organizationId = centre.providerId;
  if (isAccreditedFor(centre, standardCode, isoDateOf(enrolledAt))) return;
  throw new DomainError('CENTRE_NOT_ACCREDITED', `the centre is not accredited for ${standardCode} on the enrollment date`, {
    organizationId,
    standardCode,
  });
}

/** At most one open or currently valid certification per person and standard. */
export function ensureNotAlreadyEnrolled(
  earlier: readonly EarlierProcess[],
  processId: string,
  standardCode: string,
  enrolledAt: IsoInstant,
): void {
  const others = earlier.filter((candidate) => candidate.processId !== processId);
  const blocking = blockingProcess(others, standardCode, enrolledAt);
  if (blocking !== undefined) {
    throw new DomainError('ALREADY_ENROLLED', `the person already has an ${blocking.standing} certification process for ${standardCode}`, {
      standardCode,
      processId: blocking.processId,
      standing: blocking.standing,
    });
  }
}
