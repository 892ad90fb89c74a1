"""Turns the table of Istio's analyzer tests (analyzers_test.go) into MeshUnit test data.

Usage: python3 analyzers.py ISTIO_CHECKOUT OUT_DIR
Writes OUT_DIR/analyzers.json (each case's name, analyzer, input files and expected messages as
[code, "Kind namespace/name"]) and copies the input files under OUT_DIR/testdata/.
"""
import json, os, re, shutil, sys

# Analyzers MeshUnit runs, with the codes they report.
PORTED = {
    'virtualservice.ConflictingMeshGatewayHostsAnalyzer': ['IST0109'],
    'virtualservice.DestinationRuleAnalyzer': ['IST0101'],
    'destinationrule.CaCertificateAnalyzer': ['IST0128', 'IST0129'],
    'serviceentry.ProtocolAddressesAnalyzer': ['IST0134'],
    'serviceentry.ConflictingServiceEntryProtocolAnalyzer': ['IST0177'],
    'deprecation.FieldAnalyzer': ['IST0002'],
    'virtualservice.GatewayAnalyzer': ['IST0101', 'IST0132', 'IST0165'],
}
K8S = 'needs Kubernetes resources (Services, Pods, Deployments, Namespaces, Secrets or webhooks) that MeshUnit does not read'
SKIPPED = {
    'virtualservice.DestinationHostAnalyzer': 'needs Kubernetes Services to resolve destination hosts',
    'virtualservice.JWTClaimRouteAnalyzer': 'needs Pods (gateway workloads) to decide',
    'gateway.ConflictingGatewayAnalyzer': 'needs Gateway resources (not loaded by MeshUnit)',
    'envoyfilter.EnvoyPatchAnalyzer': 'EnvoyFilter is not a kind MeshUnit reads',
    'authn.BlockedCIDRsAnalyzer': 'security kinds are not read by MeshUnit',
    'authz.AuthorizationPoliciesAnalyzer': 'security kinds are not read by MeshUnit',
    'telemetry.ProviderAnalyzer': 'Telemetry is not a kind MeshUnit reads',
    'telemetry.SelectorAnalyzer': 'Telemetry is not a kind MeshUnit reads',
    'telemetry.LightstepAnalyzer': 'Telemetry is not a kind MeshUnit reads',
    'telemetry.DefaultSelectorAnalyzer': 'Telemetry is not a kind MeshUnit reads',
    'k8sgateway.CRDVersionAnalyzer': 'Kubernetes Gateway API CRDs are not read by MeshUnit',
    'schemaValidation.CollectionValidationAnalyzer': 'the webhook rules it runs are ported case for case in IstioValidationTableTest',
}
MESH_CONFIG = 'needs a MeshConfig (address auto-allocation), which MeshUnit does not read'

def main():
    istio, out = sys.argv[1], sys.argv[2]
    root = os.path.join(istio, 'pkg/config/analysis')
    src = open(os.path.join(root, 'analyzers/analyzers_test.go')).read()
    codes = {}
    msgs = open(os.path.join(root, 'msg/messages.yaml')).read()
    for m in re.finditer(r'- name: "(\w+)"\s*\n\s*code: (IST\d+)', msgs):
        codes[m.group(1)] = m.group(2)
    grid = src[src.index('var testGrid = []testCase{'):]
    grid = grid[:grid.index('\n}\n')]
    cases = []
    for block in re.split(r'\n\t\{\n', grid)[1:]:
        name = re.search(r'name:\s*"([^"]*)"', block)
        analyzer = re.search(r'analyzer:\s*&?([\w.]+)', block)
        files = re.findall(r'"(testdata/[^"]+)"', block)
        expected = [[codes.get(t, t), res] for t, res in re.findall(r'\{msg\.(\w+), "([^"]+)"\}', block)]
        a = analyzer.group(1) if analyzer else '?'
        case = {'name': name.group(1) if name else '?', 'analyzer': a, 'inputFiles': files, 'expected': expected}
        if a not in PORTED:
            case['skipped'] = SKIPPED.get(a, K8S)
        elif any('mesh-cfg' in f or 'meshconfig' in f.lower() for f in files):
            case['skipped'] = MESH_CONFIG
        elif any('kubernetes_gateways' in f for f in files):
            case['skipped'] = 'Kubernetes Gateway API resources are not read by MeshUnit'
        else:
            case['codes'] = PORTED[a]
        cases.append(case)
    os.makedirs(os.path.join(out, 'testdata'), exist_ok=True)
    for c in cases:
        for f in ([] if 'skipped' in c else c['inputFiles']):
            os.makedirs(os.path.dirname(os.path.join(out, f)), exist_ok=True)
            shutil.copy(os.path.join(root, 'analyzers', f), os.path.join(out, f))
    with open(os.path.join(out, 'analyzers.json'), 'w') as f:
        f.write('[\n' + ',\n'.join(json.dumps(c) for c in cases) + '\n]\n')
    print(len(cases), 'cases')

if __name__ == '__main__':
    main()
