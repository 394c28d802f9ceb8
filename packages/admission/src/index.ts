// Admission for kubevirt.io/v1: the AdmissionReview codec, the admitters with the real rules,
// and the webhook server that answers the apiserver (virt-api wires it to TLS and config).
export { createWebhookServer, type WebhookServer, type WebhookServerOptions, type ClusterConfigProvider, type TlsMaterial } from './server/webhook-server.js';
export { createApiMetrics, type ApiMetrics } from './server/api-metrics.js';
export { webhookAdmitters, WebhookPaths, type WebhookPath, type AdmissionRules } from './admitters/webhooks.js';
export { validationRules } from './admitters/validation-rules.js';
