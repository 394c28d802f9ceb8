import { ResourcePaths, isAlreadyExists, isConflict, isNotFound, type KubeClient } from '@qvirt/kube';
import type { WebhookConfigurationClient, WebhookConfigurationKind, WebhookConfigurationLike } from './ca-bundle-sync.js';
import { SecretRaceError, type SecretClient, type SecretLike } from './cert-secret.js';

const secretPath = ResourcePaths.secrets;

/** SecretClient over @qvirt/kube's KubeClient; a lost create/update race becomes SecretRaceError. */
export function kubeSecretClient(client: KubeClient): SecretClient {
  return {
    async read(namespace, name) {
      try {
        return await client.get<SecretLike>(secretPath(namespace, name));
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    async create(namespace, secret) {
      try {
        return await client.create<SecretLike>(secretPath(namespace), { apiVersion: 'v1', kind: 'Secret', ...secret });
      } catch (err) {
        if (isAlreadyExists(err)) throw new SecretRaceError(`Secret ${namespace}/${secret.metadata?.name} exists already`);
        throw err;
      }
    },
    async replace(namespace, name, secret) {
      try {
        return await client.replace<SecretLike>(secretPath(namespace, name), { apiVersion: 'v1', kind: 'Secret', ...secret });
      } catch (err) {
        if (isConflict(err)) throw new SecretRaceError(`Secret ${namespace}/${name} changed meanwhile`);
        throw err;
      }
    },
  };
}

const webhookPath = (kind: WebhookConfigurationKind, name: string): string => ResourcePaths.webhookConfigurations(kind, name);

export function kubeWebhookConfigurationClient(client: KubeClient): WebhookConfigurationClient {
  return {
    async read(kind, name) {
      try {
        return await client.get<WebhookConfigurationLike>(webhookPath(kind, name));
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    async jsonPatch(kind, name, ops) {
      await client.patch(webhookPath(kind, name), ops, 'json');
    },
  };
}
