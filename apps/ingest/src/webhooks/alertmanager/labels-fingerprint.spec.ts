import { labelsFingerprint } from './labels-fingerprint.js';

describe('labelsFingerprint (Alertmanager before 0.19 sent none)', () => {
  it("is FNV-1a 64 over the sorted labels, Go's empty label set being the FNV offset", () => {
    expect(labelsFingerprint({})).toBe('cbf29ce484222325');
  });

  it('equals the fingerprint a real Alertmanager sent for these labels', () => {
    // A delivery captured in liamkelly15-maker/pythonwebhook (docker/alert-manager-webhook/testsuites/testcurl7.sh).
    const labels = {
      alertname: 'Deployment',
      app_kubernetes_io_instance: 'eric-oss-common-base',
      app_kubernetes_io_managed_by: 'Helm',
      app_kubernetes_io_name: 'eric-pm-kube-state-metrics',
      app_kubernetes_io_version: '2.1.0_10',
      chart: 'eric-pm-kube-state-metrics-2.1.0_10',
      deployment: 'eric-log-transformer',
      instance: '192.168.69.53:8080',
      job: 'eric-pm-kube-state-metrics',
      kubernetes_name: 'eric-pm-kube-state-metrics',
      kubernetes_namespace: 'eric-eo-cm-ci406',
      namespace: 'eric-eo-cm-ci406',
      severity: 'Warning',
    };
    expect(labelsFingerprint(labels)).toBe('fbab788ec4c1018b');
  });

  it('does not depend on the order the labels arrive in', () => {
    expect(labelsFingerprint({ b: '2', a: '1' })).toBe(labelsFingerprint({ a: '1', b: '2' }));
    expect(labelsFingerprint({ a: '1', b: '2' })).not.toBe(labelsFingerprint({ a: '12', b: '' }));
  });
});
