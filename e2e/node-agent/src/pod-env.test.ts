import { describe, expect, it } from 'vitest';
import { containerArgv, containerEnv, PodConfigError } from './pod-env.js';
import type { Pod } from './pod.js';

const pod: Pod = {
  metadata: { name: 'p', namespace: 'ns', uid: 'u1', labels: { app: 'x' } },
  spec: {
    nodeName: 'node-a',
    containers: [
      {
        name: 'compute',
        command: ['virt-launcher', '--name', '$(POD_NAME)'],
        env: [
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
          { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
          { name: 'GREETING', value: 'hi $(POD_NAME) $$(POD_NAME)' },
          { name: 'PCI_RESOURCE_QAT_INTEL_COM_GENERIC', value: 'from-pod' },
        ],
      },
    ],
  },
};
const c = pod.spec.containers[0]!;

describe('containerEnv', () => {
  it('resolves fieldRefs and $(VAR), then lets Allocate envs win', () => {
    const env = containerEnv(pod, c, { base: { PATH: '/bin' }, hostIP: '127.0.0.1', deviceEnvs: [{ PCI_RESOURCE_QAT_INTEL_COM_GENERIC: '0000:3d:01.0' }] });
    expect(env).toEqual({
      PATH: '/bin',
      POD_NAME: 'p',
      NODE_NAME: 'node-a',
      APP: 'x',
      GREETING: 'hi p $(POD_NAME)',
      PCI_RESOURCE_QAT_INTEL_COM_GENERIC: '0000:3d:01.0',
    });
  });
  it('refuses secrets and unknown fields, naming the variable', () => {
    const bad = { ...c, env: [{ name: 'S', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] };
    expect(() => containerEnv(pod, bad, { base: {}, hostIP: '', deviceEnvs: [] })).toThrow(new PodConfigError('container compute: env S: secretKeyRef is not supported by the qvirt node agent (only value and fieldRef)'));
    const unknown = { ...c, env: [{ name: 'X', valueFrom: { fieldRef: { fieldPath: 'status.phase' } } }] };
    expect(() => containerEnv(pod, unknown, { base: {}, hostIP: '', deviceEnvs: [] })).toThrow(/env X: fieldRef "status.phase" is not a supported/);
  });
});

describe('containerArgv', () => {
  it('expands variables in command and args', () => {
    expect(containerArgv({ ...c, args: ['--x', '$(NODE_NAME)'] }, { POD_NAME: 'p', NODE_NAME: 'n' })).toEqual(['virt-launcher', '--name', 'p', '--x', 'n']);
  });
  it('needs a command', () => {
    expect(() => containerArgv({ name: 'c', args: ['x'] }, {})).toThrow(/container c: no command/);
  });
});
