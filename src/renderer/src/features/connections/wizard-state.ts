import type { ConnectionMode } from '@shared/domain/connection';
import type { DkimAlgorithm, SendingDomain } from '@shared/domain/sending-domain';

export interface WizardState {
  name: string;
  mode: ConnectionMode;
  hourlyLimit: number | '';
  enabled: boolean;
  /** Sandbox only: capture mail from any From: address (then no sending domain is needed). */
  acceptsAnySender: boolean;
  /** Existing sending domains picked for the connection. */
  selectedIds: string[];
  /** Domains to create, as typed. */
  newDomains: { name: string; algorithm: DkimAlgorithm }[];
  /** List-Help value per chosen domain (key: domain id, or "new:<name>"). */
  listHelp: Record<string, string>;
  /** New domains already created by an earlier, failed save: not created twice. */
  created: Record<string, SendingDomain>;
}

export const emptyWizard: WizardState = {
  name: '',
  mode: 'live',
  hourlyLimit: '',
  enabled: true,
  acceptsAnySender: true,
  selectedIds: [],
  newDomains: [],
  listHelp: {},
  created: {},
};

export interface ChosenDomain {
  key: string;
  name: string;
  label: string;
  algorithm: DkimAlgorithm;
  existing?: SendingDomain;
}

/** Every domain the connection will use, existing and new, in the order shown. */
export function wizardDomains(state: WizardState, domains: SendingDomain[]): ChosenDomain[] {
  const existing = state.selectedIds
    .map((id) => domains.find((d) => d.id === id))
    .filter((d): d is SendingDomain => d !== undefined)
    .map((d) => ({
      key: d.id,
      name: d.domain,
      label: d.displayName,
      algorithm: 'rsa-sha256' as const,
      existing: d,
    }));
  const fresh = state.newDomains.map((d) => ({
    key: `new:${d.name}`,
    name: d.name,
    label: d.name,
    algorithm: d.algorithm,
  }));
  return [...existing, ...fresh];
}

/** The List-Help value of a chosen domain: what was typed, else what the domain already has. */
export function listHelpOf(state: WizardState, d: ChosenDomain): string {
  return state.listHelp[d.key] ?? d.existing?.listHelp ?? '';
}

/** A sandbox connection that accepts any sender needs no sending domain. */
export const needsSendingDomain = (state: WizardState): boolean =>
  !(state.mode === 'sandbox' && state.acceptsAnySender);
