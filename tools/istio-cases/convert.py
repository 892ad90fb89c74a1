"""Turns Istio's validation table tests (Go) into MeshUnit test data (JSON), one file per Go test.

Usage: python3 convert.py ISTIO_CHECKOUT OUT_DIR
Each case keeps Istio's name and verdict; its input becomes a whole resource (JSON is YAML), wrapped in
the smallest valid context when the Go test validates only a part (a retry policy, a load balancer, ...).
Inputs this script cannot read are written as skipped, with the reason.
"""
import json, os, re, sys
from golit import Parser, tokenize, Lit, Ref, Call, Bin, Unsupported

ONEOF_GROUPS = {'MatchType', 'LbPolicy', 'HashKey', 'HashAlgorithm', 'HttpDelayType', 'ErrorType', 'RedirectPort',
                'Specifier', 'Rewrite', 'PathSpecifier', 'Tunnel'}
SPECIAL_NAMES = {'Consecutive_5XxErrors': 'consecutive5xxErrors'}
UNITS = {'time.Nanosecond': 1, 'time.Microsecond': 1000, 'time.Millisecond': 10**6, 'time.Second': 10**9,
         'time.Minute': 60 * 10**9, 'time.Hour': 3600 * 10**9}

def json_name(go):
    if go in SPECIAL_NAMES:
        return SPECIAL_NAMES[go]
    go = go.rstrip('_')
    return go[0].lower() + go[1:]

ENV = {}  # package constants and the test's own local variables
GLOBALS = {'kb': 1024, 'mb': 1024 * 1024}

def number(v):
    if isinstance(v, (int, float)):
        return v
    if isinstance(v, Ref) and v.name in GLOBALS:
        return GLOBALS[v.name]
    if isinstance(v, Ref) and v.name in UNITS:
        return UNITS[v.name]
    if isinstance(v, Bin):
        a, b = number(v.a), number(v.b)
        if v.op == '<<':
            return a << b
        return {'*': a * b, '+': a + b, '-': a - b, '/': a / b if isinstance(a, float) or isinstance(b, float) or a % b else a // b}[v.op]
    if isinstance(v, Call) and v.fn in ('time.Duration', 'int', 'int32', 'int64', 'uint32', 'uint64', 'float64', 'float32'):
        return number(v.args[0])
    raise Unsupported('not a number: %r' % (v,))

def duration(nanos):
    nanos = int(nanos)
    sign = '-' if nanos < 0 else ''
    nanos = abs(nanos)
    if nanos % 10**9 == 0:
        return '%s%ds' % (sign, nanos // 10**9)
    frac = ('%09d' % (nanos % 10**9)).rstrip('0')
    return '%s%d.%ss' % (sign, nanos // 10**9, frac)

def enum(name):
    local = name.split('.', 1)[1] if '.' in name else name
    parts = local.split('_')
    while len(parts) > 1 and any(c.islower() for c in parts[0]):
        parts.pop(0)
    return '_'.join(parts)

def zero(v):
    return v is None or v == 0 and not isinstance(v, bool) or v == '' or v is False or v == []

def conv(v):
    if isinstance(v, (str, int, float)):
        return v
    if isinstance(v, Ref):
        if v.name in ENV: return conv(ENV[v.name])
        if v.name == 'true': return True
        if v.name == 'false': return False
        if v.name == 'nil': return None
        if v.name.startswith(('networking.', 'networkingv1beta1.', 'api.')) and '_' in v.name:
            return enum(v.name)
        raise Unsupported('identifier ' + v.name)
    if isinstance(v, Bin):
        return number(v)
    if isinstance(v, Call):
        fn = v.fn
        if fn.startswith('networking.') and len(v.args) == 1 and isinstance(v.args[0], Ref):
            return enum(v.args[0].name)  # an enum converted from another enum type
        if fn.startswith('networking.') and len(v.args) == 1 and isinstance(v.args[0], int):
            raise Unsupported('an enum given by number (%s(%d)), a value the API does not name' % (fn, v.args[0]))
        if fn == 'durationpb.New':
            return duration(number(v.args[0]))
        if fn in ('uint32', 'int32', 'int64', 'uint64', 'float64', 'float32', 'int'):
            return number(v.args[0])
        if fn.startswith('wrapperspb.') or fn.startswith('wrappers.'):
            return conv(v.args[0])
        if fn == '[]byte':
            arg = conv(v.args[0])
            if isinstance(arg, dict):  # a repeated string, encoded by the reader
                return dict(arg, base64=True)
            import base64
            return base64.b64encode(arg.encode()).decode()
        if fn == 'strings.Repeat':
            text, times = conv(v.args[0]), number(v.args[1])
            # Long strings stay short in the data: the Java test expands {"$repeat": ..., "times": ...}.
            return text * times if times <= 256 else {'$repeat': text, 'times': times}
        if fn == 'errors.New':
            return 'error: ' + conv(v.args[0])
        raise Unsupported('call ' + fn)
    if isinstance(v, Lit):
        t = (v.type or '').lstrip('*')
        if t.startswith('[]'):
            items = [conv(e) for _, e in v.elems]
            if any(x is None for x in items):
                raise Unsupported('a nil element in a Go list has no YAML form a Kubernetes API server accepts')
            return items
        if t.startswith('map['):
            return {str(conv(k)): conv(e) for k, e in v.elems}
        if t.endswith('Duration') and t.startswith(('durationpb', 'duration', 'types')):
            d = dict(v.elems)
            return duration(number(d.get('Seconds', 0)) * 10**9 + number(d.get('Nanos', 0)))
        if t.startswith(('wrapperspb.', 'wrappers.', 'types.')) and t.endswith('Value'):
            d = dict(v.elems)
            return conv(d['Value']) if 'Value' in d else (False if 'Bool' in t else 0)
        return struct(v)
    raise Unsupported('value %r' % (v,))

def oneof_inner(key, v):
    """A oneof wrapper (StringMatch_Exact{Exact: x}) stands for its only field, set even when zero."""
    if not isinstance(v, Lit) or not v.type:
        return None
    base = v.type.lstrip('*').split('.')[-1]
    if '_' not in base:
        return None
    suffix = base.split('_')[-1] or base.split('_')[-2]
    if len(v.elems) == 1 and isinstance(v.elems[0][0], str) and v.elems[0][0].rstrip('_') == suffix.rstrip('_'):
        return v.elems[0]
    if key in ONEOF_GROUPS:
        if len(v.elems) == 0:
            raise Unsupported('empty oneof ' + base)
        if len(v.elems) == 1:
            return v.elems[0]
    return None

def struct(v):
    out = {}
    for key, e in v.elems:
        if key is None or not isinstance(key, str):
            raise Unsupported('positional struct field')
        inner = oneof_inner(key, e)
        if inner is not None:
            out[json_name(inner[0])] = conv(inner[1])
            continue
        value = conv(e)
        if isinstance(e, Lit) and (e.type or '').lstrip('*').startswith(('wrappers', 'types.')):
            out[json_name(key)] = value
        elif isinstance(e, Call) and e.fn.startswith(('wrapperspb', 'wrappers')):
            out[json_name(key)] = value
        elif not zero(value) and not (isinstance(value, (list, dict)) and not value and not isinstance(e, Lit)):
            out[json_name(key)] = value
        elif isinstance(e, Lit) and not (e.type or '').startswith(('[]', 'map[')) and isinstance(value, dict):
            out[json_name(key)] = value
    return out

def function_body(src, name):
    m = re.search(r'^func %s\(t \*testing\.T\) \{\n(.*?)^\}\n' % re.escape(name), src, re.S | re.M)
    if not m:
        raise SystemExit('no test ' + name)
    return m.group(1)

def cases(src, name):
    """The table of a test: each case as a dict of its Go fields (still parsed, not converted)."""
    body = function_body(src, name)
    ENV.clear()
    for local in re.finditer(r'^\t(\w+) := (.+)$', body, re.M):
        try:
            ENV[local.group(1)] = Parser(tokenize(local.group(2))).expr()
        except (Unsupported, IndexError):
            pass
    m = re.search(r'(\[\]struct\s*\{|map\[string\]struct\s*\{)', body)
    named = re.search(r'type (\w+) struct \{(.*?)\n\t\}', body, re.S)
    if m:
        struct_src = body[m.end():body.index('}', m.end())]
        start = m.start()
    elif named:
        struct_src = named.group(2)
        start = body.index('[]' + named.group(1) + '{')
    else:
        raise SystemExit('no table in ' + name)
    field_names = re.findall(r'^\s*(\w+)\s+\S', struct_src, re.M)
    p = Parser(tokenize(body[start:]))
    table = p.type_expr()
    elems = p.elements()
    out = []
    for key, e in elems:
        if not isinstance(e, Lit):
            raise SystemExit('odd case in %s' % name)
        if e.elems and all(k is None for k, _ in e.elems):
            fields = dict(zip(field_names, (x for _, x in e.elems)))
        else:
            fields = {k: x for k, x in e.elems if isinstance(k, str)}
        if table.startswith('map[') and isinstance(key, str):
            fields['name'] = key
        out.append(fields)
    return out

DEST = {'destination': {'host': 'foo.baz'}}

def vs(http=None, spec=None):
    return resource('VirtualService', spec if spec is not None else {'hosts': ['foo.bar'], 'http': [http]})

def route(**fields):
    h = {'route': [DEST]}
    h.update({k: v for k, v in fields.items() if v is not None})
    return vs(h)

def dr(policy_field=None, value=None, spec=None):
    if spec is None:
        spec = {'host': 'reviews'}
        if policy_field is None:
            if value is not None: spec['trafficPolicy'] = value
        elif value is not None:
            spec['trafficPolicy'] = {policy_field: value}
        else:
            spec['trafficPolicy'] = {'loadBalancer': {'simple': 'ROUND_ROBIN'}}
    return resource('DestinationRule', spec)

def resource(kind, spec, namespace=None):
    meta = {'name': 'foo'}
    if namespace: meta['namespace'] = namespace
    return {'apiVersion': 'networking.istio.io/v1', 'kind': kind, 'metadata': meta, 'spec': spec}

def se_with_port_name(name):
    ports = [{'number': 80, 'protocol': 'http', 'name': name}] if name else [{'number': 80, 'protocol': 'http'}]
    return resource('ServiceEntry', {'hosts': ['foo.example.com'], 'ports': ports, 'resolution': 'DNS'})

# Go test -> (field holding the input, the resource it becomes). The input is converted first.
WRAP = {
    'TestValidateHTTPHeaderName': ('name', lambda n: vs({'match': [{'headers': {n: {'exact': 'v'}}}], 'route': [DEST]})),
    'TestValidateCORSPolicy': ('in', lambda x: route(corsPolicy=x)),
    'TestValidateHTTPStatus': ('in', lambda x: vs({'directResponse': {'status': x}})),
    'TestValidateHTTPFaultInjectionAbort': ('in', lambda x: route(fault={'abort': x} if x is not None else None)),
    'TestValidateHTTPFaultInjectionDelay': ('in', lambda x: route(fault={'delay': x} if x is not None else None)),
    'TestValidateHTTPRetry': ('in', lambda x: route(retries=x)),
    'TestValidateHTTPRewrite': ('in', lambda x: route(rewrite=x)),
    'TestValidateUriRegexRewrite': ('in', lambda x: route(rewrite={'uriRegexRewrite': x} if x is not None else None)),
    'TestValidatePortName': ('name', se_with_port_name),
    'TestValidateHTTPRedirect': ('redirect', lambda x: vs({'redirect': x}) if x is not None else route()),
    'TestValidateHTTPDirectResponse': ('directResponse', lambda x: vs({'directResponse': x}) if x is not None else route()),
    'TestValidateDestination': ('destination', lambda x: vs({'route': [{'destination': x}]})),
    'TestValidateHTTPRoute': ('route', lambda x: vs(x)),
    'TestValidateRouteDestination': ('routes', lambda x: vs({'route': x})),
    'TestValidateVirtualService': ('in', lambda x: vs(spec=x)),
    'TestValidateWorkloadEntry': ('in', lambda x: resource('WorkloadEntry', x)),
    'TestValidateDestinationRule': ('in', lambda x: dr(spec=x)),
    'TestValidateTrafficPolicy': ('in', lambda x: dr(None, x)),
    'TestValidateConnectionPool': ('in', lambda x: dr('connectionPool', x)),
    'TestValidateLoadBalancer': ('in', lambda x: dr('loadBalancer', x)),
    'TestValidateOutlierDetection': ('in', lambda x: dr('outlierDetection', x)),
    'TestValidateServiceEntries': ('in', lambda x: resource('ServiceEntry', x)),
    'TestValidateHTTPHeaderValue': ('input', lambda x: route(headers={'request': {'set': {'x-test': x}}})),
}
def tls_route_vs(host, sni):
    spec = {'hosts': [host], 'gateways': ['ns1/gateway']}
    if sni:
        spec['tls'] = [{'match': [{'sniHosts': [host]}], 'route': [DEST]}]
    else:
        spec['http'] = [{'route': [DEST]}]
    return vs(spec=spec)

def locality_dr(field):
    def wrap(value, fields):
        policy = {'loadBalancer': {field: value if value is not None else {}}}
        outlier = conv(fields['outlier']) if 'outlier' in fields else None
        if outlier is not None:
            policy['outlierDetection'] = outlier
        if value is None:
            del policy['loadBalancer'][field]
            policy['loadBalancer']['simple'] = 'ROUND_ROBIN'
        return dr(spec={'host': 'reviews', 'trafficPolicy': policy})
    return wrap

def export_to(value, fields):
    ns = conv(fields['namespace']) if 'namespace' in fields else None
    export = value or []
    if 'isServiceEntry' in fields and conv(fields['isServiceEntry']):
        spec = {'hosts': ['foo.example.com'], 'ports': [{'number': 80, 'protocol': 'HTTP', 'name': 'http'}], 'resolution': 'DNS'}
        kind = 'ServiceEntry'
    elif 'isDestinationRuleWithSelector' in fields and conv(fields['isDestinationRuleWithSelector']):
        spec = {'host': 'reviews', 'workloadSelector': {'matchLabels': {'app': 'a'}}}
        kind = 'DestinationRule'
    else:
        spec = {'hosts': ['foo.bar'], 'http': [{'route': [DEST]}]}
        kind = 'VirtualService'
    if export:
        spec['exportTo'] = export
    return resource(kind, spec, ns)

def gateway(spec):
    return resource('Gateway', spec)

def gateway_spec(value, fields):
    if not (isinstance(fields.get('in'), Lit) and (fields['in'].type or '').endswith('.Gateway')):
        raise Unsupported('the input is not a Gateway (the Go test checks the type cast)')
    return gateway(value or {})

def server_port(value, fields):
    server = {'hosts': ['foo.bar.com'], 'port': value} if value is not None else {'hosts': ['foo.bar.com']}
    bind = conv(fields['bind']) if 'bind' in fields else ''
    if bind:
        server['bind'] = bind
    if value and str(value.get('protocol', '')).upper() in ('HTTPS', 'TLS'):
        server['tls'] = {'mode': 'PASSTHROUGH'}
    return gateway({'servers': [server]})

def tls_options(value, fields):
    if value is None:
        return gateway({'servers': [{'hosts': ['*'], 'port': {'number': 80, 'name': 'http', 'protocol': 'HTTP'}}]})
    return gateway({'servers': [{'hosts': ['*'], 'port': {'number': 443, 'name': 'https', 'protocol': 'HTTPS'}, 'tls': value}]})

def sidecar(value, fields):
    return resource('Sidecar', value or {}, 'bar')

GATEWAY = {
    'TestValidateSidecar': ('in', sidecar),
    'TestValidateGateway': ('in', gateway_spec),
    'TestValidateServer': ('in', lambda x, f: gateway({'servers': [x]} if x is not None else {})),
    'TestValidateServerPort': ('in', server_port),
    'TestValidateTlsOptions': ('in', tls_options),
}

# Tests of agent/validation_test.go and virtualservice_test.go; the wrapper may take the case's other fields.
MORE = {
    'agent/validation_test.go': {
        'TestValidateFQDN': ('fqdn', lambda x: resource('WorkloadEntry', {'address': x} if x else {})),
        'TestValidateDuration': ('duration', lambda x: route(timeout=x)),
        'TestValidateTLS': ('tls', lambda x: dr('tls', x)),
        'TestValidateWildcardDomain': ('in', lambda x: dr(spec={'host': x})),
        'TestValidateWildcardDomainForVirtualServiceBoundToGateway': ('in', None),
        'TestValidateLocalityLbSetting': ('in', locality_dr('localityLbSetting')),
        'TestValidateZoneAwareLbSetting': ('in', locality_dr('zoneAwareLbSetting')),
        'TestValidateLocalities': ('localities', lambda x: dr('loadBalancer', {'localityLbSetting': {'distribute': [
            {'from': l, 'to': {'us-east/zone%d/*' % i: 100}} for i, l in enumerate(x or [])]}})),
        'TestValidationIPAddress': ('addr', lambda x: resource('ServiceEntry', {'hosts': ['foo.example.com'],
            'ports': [{'number': 80, 'protocol': 'HTTP', 'name': 'http'}], 'resolution': 'STATIC', 'endpoints': [{'address': x}]})),
        'TestValidationIPSubnet': ('subnet', lambda x: resource('ServiceEntry', {'hosts': ['foo.example.com'],
            'addresses': [x], 'ports': [{'number': 80, 'protocol': 'HTTP', 'name': 'http'}], 'resolution': 'NONE'})),
    },
    'validation_test.go': dict({
        'Test_validateExportTo': ('exportTo', export_to),
    }, **GATEWAY),
    'virtualservice_test.go': {
        'TestValidateChainingVirtualService': ('in', lambda x: vs(spec=x)),
        'TestValidateRootHTTPRoute': ('route', lambda x: vs(x)),
        'TestValidateDelegateHTTPRoute': ('route', lambda x: vs(spec={'http': [x]})),
    },
}

# Go tests of the four kinds' helpers that have no counterpart a resource can reach.
NOT_REACHABLE = {
    'TestStrictValidateHTTPHeaderName': 'ValidateStrictHTTPHeaderName is used by AuthorizationPolicy and RequestAuthentication only',
}

def verdict(fields):
    for key in ('valid', 'isValid', 'ok'):
        if key in fields:
            return conv(fields[key])
    if 'err' in fields:
        return not conv(fields['err'])
    if 'out' in fields:
        return conv(fields['out']) == ''
    if 'wantErr' in fields:
        return not conv(fields['wantErr'])
    if 'wantErr' in fields:
        return not conv(fields['wantErr'])
    if 'expected' in fields:
        return conv(fields['expected']) is None
    return True

def convert(src, test, table=None):
    key, wrap = (table or WRAP)[test]
    if test == 'TestValidateWildcardDomainForVirtualServiceBoundToGateway':
        wrap = lambda x, f: tls_route_vs(x, bool(conv(f.get('sni', Ref('false')))))
    out = []
    for i, f in enumerate(cases(src, test)):
        name = f.get('name')
        name = conv(name) if name is not None else None
        case = {'name': name if isinstance(name, str) and name else '%s#%d' % (test, i)}
        try:
            if key == 'name':
                value = conv(f.get('name', ''))
            elif key == 'in' and isinstance(f.get('in'), Lit) and (f['in'].type or '').lstrip('*') == 'config.Config':
                raise Unsupported('config.Config input')
            else:
                value = conv(f[key]) if key in f else None
            case['valid'] = verdict(f)
            warn = f.get('warning', f.get('warn'))
            case['warning'] = bool(conv(warn)) if warn is not None else False
            try:
                case['resource'] = wrap(value, f)
            except TypeError:
                case['resource'] = wrap(value)
            if 'labels' in f:
                case['resource']['metadata']['labels'] = conv(f['labels'])
        except (Unsupported, KeyError, TypeError, ZeroDivisionError, AttributeError) as e:
            case['skipped'] = 'input not convertible: %s' % e
        out.append(case)
    return out

def main():
    istio, out_dir = sys.argv[1], sys.argv[2]
    src = open(os.path.join(istio, 'pkg/config/validation/validation_test.go')).read()
    os.makedirs(out_dir, exist_ok=True)
    for test in WRAP:
        data = convert(src, test)
        with open(os.path.join(out_dir, test + '.json'), 'w') as f:
            f.write('[\n' + ',\n'.join(json.dumps(c, ensure_ascii=False) for c in data) + '\n]\n')
        skipped = sum(1 for c in data if 'skipped' in c)
        print('%-40s %4d cases, %3d skipped' % (test, len(data), skipped))
    for file, tests in MORE.items():
        more = open(os.path.join(istio, 'pkg/config/validation', file)).read()
        for test in tests:
            data = convert(more, test, tests)
            with open(os.path.join(out_dir, test + '.json'), 'w') as f:
                f.write('[\n' + ',\n'.join(json.dumps(c, ensure_ascii=False) for c in data) + '\n]\n')
            skipped = sum(1 for c in data if 'skipped' in c)
            print('%-40s %4d cases, %3d skipped' % (test, len(data), skipped))

if __name__ == '__main__':
    main()
