#!/usr/bin/env python3
"""Checks vectors/ with Python's hashlib/hmac alone, independently of the C++ module:
each case's string to sign must hold the SHA-256 of its canonical request, and
its signature file must equal both the HMAC chain over that string to sign and
the signature the AWS SigV4 test suite publishes (awslabs/aws-c-auth,
tests/aws-signing-test-suite/v4/<case>/header-signed-request.txt and
query-signed-request.txt). A match proves the canonical request files are, byte
for byte, the ones the suite signed. Run: python3 check_vectors.py"""
import hashlib, hmac, os, sys

SECRET = b'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'
PUBLISHED = {
    ('get-vanilla', 'header'): '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    ('get-vanilla', 'query'): 'e93c787ed7f371d5c6b165c1b38ede9550f4dce4144713e844b25b7192d3865d',
    ('get-vanilla-query-order-key-case', 'header'): 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500',
    ('get-vanilla-query-order-key-case', 'query'): '86012e2c9ad4d77369f5d81c11f75158aae4f895a085212cc6d3f923d300bed5',
    ('get-unreserved', 'header'): '07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f',
    ('get-vanilla-query-unreserved', 'header'): '9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197',
    ('get-utf8', 'header'): '8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85',
    ('get-vanilla-utf8-query', 'header'): '2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04',
    ('get-space', 'header'): '652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741',
    ('get-slash', 'header'): '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    ('get-slashes', 'header'): '9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84',
    ('get-relative', 'header'): '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    ('get-relative-relative', 'header'): '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    ('get-slash-dot-slash', 'header'): '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    ('get-header-key-duplicate', 'header'): 'c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea',
    ('get-header-value-order', 'header'): '08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01',
    ('get-header-value-multiline', 'header'): 'ba17b383a53190154eb5fa66a1b836cc297cc0a3d70a5d00705980573d8ff790',
    ('get-header-value-trim', 'header'): 'acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736',
    ('post-header-key-case', 'header'): '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b',
    ('post-header-key-sort', 'header'): 'c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c',
    ('post-sts-header-before', 'header'): '85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead',
    ('post-sts-header-after', 'header'): '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b',
    ('post-x-www-form-urlencoded', 'header'): 'd3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b',
    ('post-x-www-form-urlencoded-parameters', 'header'): '328d1b9eaadca9f5818ef05e8392801e091653bafec24fcab71e7344e7f51422',
    ('post-vanilla-empty-query-value', 'header'): '28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11',
    ('post-vanilla-empty-query-value', 'query'): 'a9ef26247f293bffe40eeff86a0480ba8c14d31503b2e0c3399e3a16bf1a3682',
}

def read(case, name):
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), case, name), 'rb') as f:
        return f.read()

def main():
    failures = 0
    for (case, form), published in sorted(PUBLISHED.items()):
        creq = read(case, f'{form}-canonical-request.txt')
        sts = read(case, f'{form}-string-to-sign.txt')
        sig = read(case, f'{form}-signature.txt').strip().decode()
        date, scope = sts.split(b'\n')[1][:8], sts.split(b'\n')[2].split(b'/')
        key = b'AWS4' + SECRET
        for part in [date] + scope[1:4]:
            key = hmac.new(key, part, hashlib.sha256).digest()
        ok = (sts.endswith(hashlib.sha256(creq).hexdigest().encode())
              and hmac.new(key, sts, hashlib.sha256).hexdigest() == sig == published)
        failures += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {case} ({form})")
    print(f'{len(PUBLISHED) - failures} passed, {failures} failed')
    return 1 if failures else 0

if __name__ == '__main__':
    sys.exit(main())
