#!/usr/bin/env python3
# Independent witness for tst_sigv4's own vectors (not run by CI): botocore's
# signers over an AWSRequest, with the clock fixed at 2024-11-05T08:09:10Z.
# It prints the canonical request, string to sign and signed headers or URL
# that tst_sigv4.cpp records. Run: python3 botocore_witness.py (needs botocore;
# the recorded values came from botocore 1.43.11).
import datetime, hashlib, hmac
from unittest import mock
import botocore, botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

AK = 'AKIDEXAMPLE'; SK = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'
TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLE/session+token=='
NOW = datetime.datetime(2024, 11, 5, 8, 9, 10)
SG = 'arn%3Aaws%3Agameliftstreams%3Aus-west-2%3A111122223333%3Astreamgroup%2Fsg-1AB2C3De4'
SS = 'arn%3Aaws%3Agameliftstreams%3Aus-west-2%3A111122223333%3Astreamsession%2Fsg-1AB2C3De4%2FABC123def4567'

def run(auth_cls, url, service, region, token=None, headers=None, method='GET', **kw):
    seen = {}
    class Recording(auth_cls):
        def string_to_sign(self, request, canonical_request):
            seen['creq'] = canonical_request
            sts = super().string_to_sign(request, canonical_request)
            seen['sts'] = sts
            return sts
    req = AWSRequest(method=method, url=url, headers=headers or {})
    with mock.patch('botocore.auth.get_current_datetime', return_value=NOW):
        Recording(Credentials(AK, SK, token), service, region, **kw).add_auth(req)
    return req, seen

def show(name, req, seen):
    print('=====', name, 'botocore', botocore.__version__)
    print('URL:', req.url)
    for k, v in req.headers.items():
        print('H:', k, '=', v)
    print('CREQ:', repr(seen['creq']))
    print('STS :', repr(seen['sts']))

host = 'https://gameliftstreams.us-west-2.amazonaws.com'
r, s = run(botocore.auth.SigV4Auth, f'{host}/streamgroups/{SG}/streamsessions/{SS}', 'gameliftstreams', 'us-west-2', token=TOKEN)
show('gamelift-arn-path', r, s)
r, s = run(botocore.auth.SigV4Auth, f'{host}/streamgroups/{SG}/streamsessions?Status=ACTIVE&NextToken=AbC%2BdEf%2FGhI%3DjK%3D%3D&MaxResults=25', 'gameliftstreams', 'us-west-2')
show('gamelift-next-token', r, s)
r, s = run(botocore.auth.S3SigV4Auth, 'https://s3.us-east-1.amazonaws.com/bucket/a//b/./c.zip', 's3', 'us-east-1')
show('s3-unnormalised-path', r, s)
r, s = run(botocore.auth.S3SigV4QueryAuth, 'https://s3.us-east-1.amazonaws.com/gls-exports/sessions/export%20%281%29.zip', 's3', 'us-east-1', token=TOKEN, expires=86400)
show('s3-presign', r, s)
