// The webhook server's building blocks for other workspaces (bench, local stack): the server
// itself, the admitters with the real rules, and the url form of the webhook configurations.
export { createWebhookServer, type WebhookServer, type WebhookServerOptions, type ClusterConfigProvider, type TlsMaterial } from './webhook-server.js';
export { createApiMetrics, type ApiMetrics } from './metrics.js';
export { webhookAdmitters, WebhookPaths, type WebhookPath, type AdmissionRules } from '../admitters/webhooks.js';
export { validationRules } from '../admitters/validation-rules.js';
export { withUrlClientConfig, WebhookClientConfigError, type WebhookConfigurationDoc } from '../config/webhook-client-config.js';
