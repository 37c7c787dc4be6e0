#!/usr/bin/env python3
# The peer of gls-bench-sigv4: botocore's SigV4Auth.add_auth on AWSRequest
# objects for the same requests (read from `gls-bench-sigv4 scenarios`).
# Measures, never asserts. Uses the botocore already installed (python3 -m pip
# is never run); without it, `peer` says so and the benchmark reports it missing.
#
#   botocore_sigv4.py peer                       {"kind":"peer", "available": ..., "version": ...}
#   botocore_sigv4.py check SCENARIOS            Authorization per scenario at 2024-11-05T08:09:10Z
#   botocore_sigv4.py run SCENARIOS [--seconds S] [--rep N]   rates, one JSON line per scenario
#
# The key is AWS's published example key (as in gls-bench-sigv4), not a credential.
import argparse
import datetime
import json
import platform
import sys
import time

AK = 'AKIDEXAMPLE'
SK = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'
CHECK_TIME = datetime.datetime(2024, 11, 5, 8, 9, 10)


def load(path):
    with open(path, encoding='utf-8') as f:
        return [json.loads(line) for line in f if line.strip()]


def make(s):
    """One AWSRequest and its signer, built as botocore builds them for this call."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    body = s['body'].encode('utf-8') if s['body'] else None
    req = AWSRequest(method=s['method'], url=s['url'], data=body, headers=dict(s['headers']))
    auth = SigV4Auth(Credentials(AK, SK, s['sessionToken'] or None), s['service'], s['region'])
    return req, auth


def peer():
    try:
        import botocore
    except ImportError as e:
        out = {'kind': 'peer', 'impl': 'botocore', 'available': False, 'reason': f'python3 cannot import botocore ({e})'}
    else:
        out = {'kind': 'peer', 'impl': 'botocore', 'available': True, 'version': botocore.__version__,
               'python': platform.python_version()}
    print(json.dumps(out))


def check(path):
    from unittest import mock
    import botocore.auth
    for s in load(path):
        req, auth = make(s)
        seen = {}
        original = auth.string_to_sign

        def recording(request, canonical_request):
            seen['creq'] = canonical_request
            return original(request, canonical_request)
        auth.string_to_sign = recording
        with mock.patch('botocore.auth.get_current_datetime', return_value=CHECK_TIME):
            auth.add_auth(req)
        print(json.dumps({'name': s['name'], 'authorization': req.headers['Authorization'],
                          'canonicalRequest': seen.get('creq', '')}))


def run(path, seconds, rep):
    for s in load(path):
        req, auth = make(s)
        for _ in range(200):  # warm-up; add_auth replaces its own headers, as on a retry
            auth.add_auth(req)
        n, batch = 0, 64
        wall0, cpu0 = time.perf_counter(), time.thread_time()
        while True:
            for _ in range(batch):
                auth.add_auth(req)
            n += batch
            cpu = time.thread_time() - cpu0
            if cpu >= seconds:
                break
            if cpu < seconds / 20:
                batch *= 2
        wall = time.perf_counter() - wall0
        print(json.dumps({'kind': 'rate', 'impl': 'botocore', 'scenario': s['name'], 'figure': 'add_auth',
                          'rep': rep, 'iterations': n, 'cpuSeconds': cpu, 'wallSeconds': wall,
                          'perCpuSecond': n / cpu, 'perWallSecond': n / wall}), flush=True)
        print(f"  rep {rep} {s['name']:<20} botocore {n / cpu:9.0f} signatures per CPU-second", file=sys.stderr, flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument('command', choices=['peer', 'check', 'run'])
    p.add_argument('scenarios', nargs='?')
    p.add_argument('--seconds', type=float, default=1.0)
    p.add_argument('--rep', type=int, default=1)
    a = p.parse_args()
    if a.command == 'peer':
        peer()
    elif not a.scenarios:
        p.error(f'{a.command} needs the scenarios file')
    elif a.command == 'check':
        check(a.scenarios)
    else:
        run(a.scenarios, a.seconds, a.rep)
    return 0


if __name__ == '__main__':
    sys.exit(main())
