import { describe, expect, it } from 'vitest';
import { AgentConfigError, parseAgentConfig } from './config.js';

describe('parseAgentConfig', () => {
  it('defaults the kubelet paths and takes repeated --bin-path', () => {
    const c = parseAgentConfig(['--kubeconfig', '/k', '--node-name', 'node-a', '--bin-path', '/a', '--bin-path', '/b']);
    expect(c).toMatchObject({ nodeName: 'node-a', devicePluginDir: '/var/lib/kubelet/device-plugins', binPaths: ['/a', '/b'], statusIntervalMs: 10_000, maxPods: 110 });
  });
  it('names the bad flag', () => {
    expect(() => parseAgentConfig(['--kubeconfig', '/k'])).toThrow(/--node-name is required/);
    expect(() => parseAgentConfig(['--kubeconfig', '/k', '--node-name', 'Node_A'])).toThrow(/--node-name "Node_A": not a valid Kubernetes node name/);
    expect(() => parseAgentConfig(['--kubeconfig', '/k', '--node-name', 'n', '--state-dir', 'rel'])).toThrow(new AgentConfigError('--state-dir "rel": must be an absolute path'));
    expect(() => parseAgentConfig(['--kubeconfig', '/k', '--node-name', 'n', '--max-pods', '0'])).toThrow(/--max-pods "0": must be a whole number from 1 to 10000/);
    expect(() => parseAgentConfig(['--kubeconfig', '/k', '--node-name', 'n', '--log-level', 'loud'])).toThrow(new AgentConfigError('--log-level "loud": must be fatal, error, warn, info, debug, trace or silent'));
    expect(() => parseAgentConfig(['--kubeconfig', '/k', '--node-name', 'n', '--bin-path', 'bin'])).toThrow(new AgentConfigError('--bin-path "bin": must be an absolute path'));
    expect(() => parseAgentConfig(['--kubeconfig', '/k', '--node-name', 'n', '--bogus'])).toThrow(/Unknown option '--bogus'[\s\S]*usage: qvirt-node-agent/);
  });
});
